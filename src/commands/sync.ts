/** `horde-model-sync sync`: resolve settings, lock, run, report. Returns the exit code. */
import { resolveSettings, type CliFlags } from '../config/settings.js';
import { ExitCode } from '../errors.js';
import { GitHubSessions } from '../github/session.js';
import { PrimaryClient } from '../primary/client.js';
import { printHumanReport } from '../report/human.js';
import { runFailed, toContractJson } from '../report/types.js';
import { runSync } from '../sync/run.js';
import { lockRepositories } from '../util/lock.js';
import { createLogger } from '../util/logger.js';
import { VERSION } from '../version.js';

export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function syncCommand(flags: CliFlags, io: CommandIo): Promise<number> {
  const settings = resolveSettings(flags, { env: io.env, cwd: io.cwd });
  const secrets =
    settings.auth.kind === 'token' ? [settings.auth.token] : settings.auth.kind === 'app' ? [settings.auth.privateKey, ...settings.auth.privateKey.split('\n').filter((l) => l.length > 20)] : [];
  const log = createLogger({ verbose: settings.verbose, stream: io.stderr, env: io.env, secrets });
  const userAgent = `horde-model-sync/${VERSION}`;
  const primary = new PrimaryClient({ baseUrl: settings.primaryUrl, timeoutMs: settings.httpTimeoutMs, retryDelayMs: settings.retryDelayMs, userAgent });
  const sessions = new GitHubSessions(settings.auth, {
    baseUrl: settings.githubApiUrl,
    userAgent,
    retryDelayMs: settings.retryDelayMs,
    pacing: settings.apiPacing,
    timeoutMs: settings.httpTimeoutMs,
    warn: (m) => log.warn(m),
  });
  // A dry run writes nothing, so it never waits for or blocks a real run.
  const locks = settings.dryRun
    ? undefined
    : await lockRepositories(
        settings.stateDir,
        [settings.imageRepo, settings.textRepo]
          .filter((repo) => settings.categories.some((c) => (c.repo === 'image' ? settings.imageRepo : settings.textRepo) === repo))
          .map((repo) => `${settings.githubApiUrl} ${repo.fullName}`),
        (key) => key.split(' ')[1] ?? key,
        (m) => log.warn(m),
      );
  try {
    log.detail(`PRIMARY ${settings.primaryUrl}; GitHub ${settings.githubApiUrl} as ${sessions.credentialDescription}`);
    const report = await runSync(settings, { primary, openRepo: (repo) => sessions.open(repo), log });
    printHumanReport(report, log, settings.verbose);
    if (settings.json) io.stdout.write(JSON.stringify(toContractJson(report), null, 2) + '\n');
    return runFailed(report) ? ExitCode.Failed : ExitCode.Ok;
  } finally {
    await locks?.release();
    await primary.close();
  }
}
