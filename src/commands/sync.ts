/** `horde-model-sync sync`: resolve settings, lock, run, report, record the run. Returns the exit code. */
import { resolveSettings, type CliFlags, type Settings } from '../config/settings.js';
import { octokitOptionsFor, primaryClientFor, userAgentFor } from './clients.js';
import { ExitCode, errorMessage } from '../errors.js';
import { GitHubSessions } from '../github/session.js';
import { historyRecord, type RunOutcome } from '../history/record.js';
import { appendHistory } from '../history/store.js';
import { printHumanReport } from '../report/human.js';
import { runFailed, toContractJson, type RunReport } from '../report/types.js';
import { runSync } from '../sync/run.js';
import { interruption, registerCleanup } from '../util/cleanup.js';
import { lockRepositories } from '../util/lock.js';
import { createLogger, type Logger } from '../util/logger.js';
import { redactSecrets } from '../util/redact.js';
import { primaryWithProgress, ProgressBoard, repoWithProgress } from './progress.js';
import { logReportLines } from './report-log.js';
import { secretsOf } from './secrets.js';

export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function syncCommand(flags: CliFlags, io: CommandIo): Promise<number> {
  const settings = resolveSettings(flags, { env: io.env, cwd: io.cwd });
  return syncWithSettings(settings, io, 'sync');
}

/** One run with resolved settings; `watch` calls it once per change. Every run leaves one history line. */
export async function syncWithSettings(settings: Settings, io: CommandIo, trigger: 'sync' | 'watch'): Promise<number> {
  const startedAt = new Date();
  const secrets = secretsOf(settings.auth);
  const log = createLogger({ verbose: settings.verbose, stream: io.stderr, env: io.env, secrets, format: settings.logFormat });
  let report: RunReport | undefined;
  let exitCode: number = ExitCode.Failed;
  let thrown: string | undefined;
  const record = (outcome: Partial<RunOutcome>): void => {
    const line = historyRecord({ settings, trigger, startedAt, endedAt: new Date(), report, exitCode, thrown, ...outcome }, (t) => redactSecrets(t, secrets));
    try {
      appendHistory(settings.stateDir, line);
    } catch (error) {
      // History is for people looking back; it must never fail the run it describes.
      log.warn(`could not append to the run history in ${settings.stateDir}: ${errorMessage(error)}`);
    }
  };
  // A signal ends the process from the entry point; this records the run it cut short.
  let finished = false;
  const recordInterrupted = registerCleanup(() => {
    if (finished) return;
    const signal = String(interruption.signal.reason ?? 'a signal');
    const code = trigger === 'watch' ? ExitCode.Ok : signal === 'SIGINT' ? 130 : 143;
    record({ exitCode: code, thrown: `interrupted by ${signal} before the run finished; its clone and locks were removed`, interrupted: signal });
  });
  try {
    report = await runLocked(settings, io, log);
    exitCode = runFailed(report) ? ExitCode.Failed : ExitCode.Ok;
    return exitCode;
  } catch (error) {
    // Only the entry point turns errors into exit codes; the history records the one it will pick.
    exitCode = (error as { exitCode?: number }).exitCode ?? ExitCode.Failed;
    thrown = errorMessage(error);
    throw error;
  } finally {
    log.endProgress();
    finished = true;
    recordInterrupted(); // now a no-op that only unregisters it
    record({});
  }
}

async function runLocked(settings: Settings, io: CommandIo, log: Logger): Promise<RunReport> {
  const startedAt = performance.now();
  const userAgent = userAgentFor();
  const primary = primaryClientFor(settings, userAgent);
  const sessions = new GitHubSessions(settings.auth, octokitOptionsFor(settings, userAgent, log));
  try {
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
      const board = new ProgressBoard(log);
      const report = await runSync(settings, {
        primary: primaryWithProgress(primary, settings.categories.length, board, log),
        openRepo: async (repo) => repoWithProgress(await sessions.open(repo), board),
        log,
      });
      log.endProgress();
      if (settings.logFormat === 'json') logReportLines(report, log, Math.round(performance.now() - startedAt));
      else printHumanReport(report, log, settings.verbose);
      if (settings.json) io.stdout.write(JSON.stringify(toContractJson(report), null, 2) + '\n');
      return report;
    } finally {
      await locks?.release();
    }
  } finally {
    await primary.close();
  }
}
