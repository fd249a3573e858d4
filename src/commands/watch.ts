/**
 * `horde-model-sync watch`: a long-running sync for a systemd `Type=simple` service. Runs once,
 * then polls PRIMARY every interval and runs again only when a category changed. SIGTERM/SIGINT
 * are handled by the entry point: the current run's clone and locks are removed and the process
 * exits 0.
 */
import { resolveSettings, type CliFlags } from '../config/settings.js';
import { ExitCode, errorMessage } from '../errors.js';
import { PrimaryClient } from '../primary/client.js';
import { createLogger } from '../util/logger.js';
import { sleep } from '../util/retry.js';
import { VERSION } from '../version.js';
import { PrimaryChangeDetector } from '../watch/change-detector.js';
import { formatDuration } from '../watch/duration.js';
import { runWatchLoop } from '../watch/loop.js';
import { secretsOf } from './secrets.js';
import { syncWithSettings, type CommandIo } from './sync.js';

export async function watchCommand(flags: CliFlags, io: CommandIo): Promise<number> {
  const settings = resolveSettings(flags, { env: io.env, cwd: io.cwd });
  const log = createLogger({ verbose: settings.verbose, stream: io.stderr, env: io.env, secrets: secretsOf(settings.auth), format: settings.logFormat });
  const primary = new PrimaryClient({
    baseUrl: settings.primaryUrl,
    timeoutMs: settings.httpTimeoutMs,
    retryDelayMs: settings.retryDelayMs,
    userAgent: `horde-model-sync/${VERSION} (watch)`,
  });
  const categories = settings.categories.map((c) => c.name);
  const detector = new PrimaryChangeDetector(primary, categories);
  log.info(
    `watch: polling ${settings.primaryUrl} every ${formatDuration(settings.watchIntervalMs)} for ${categories.join(', ')}; a sync runs now and again whenever a category changes${settings.dryRun ? ' (dry runs)' : ''}`,
    { intervalMs: settings.watchIntervalMs },
  );
  let runs = 0;
  try {
    await runWatchLoop({
      intervalMs: settings.watchIntervalMs,
      poll: () => detector.poll(),
      sleep,
      log,
      runOnce: async (reason) => {
        const number = ++runs;
        log.info(`watch: run ${number} starts (${reason})`, { run: number });
        const started = performance.now();
        let code: number;
        try {
          code = await syncWithSettings(settings, io, 'watch');
        } catch (error) {
          // A run that throws (lock held by a cron run, a crash) is a failed run, not the end of watching.
          code = (error as { exitCode?: number }).exitCode ?? ExitCode.Failed;
          log.error(`watch: run ${number}: ${errorMessage(error)}`, { run: number });
        }
        log.info(`watch: run ${number} ended with exit code ${code}`, { run: number, exitCode: code, durationMs: Math.round(performance.now() - started) });
        return code;
      },
    });
  } finally {
    await primary.close();
  }
  return ExitCode.Ok;
}
