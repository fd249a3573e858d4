/**
 * The watch loop: one run at start, then a poll of PRIMARY every interval and a run only when a
 * category changed. Runs are strictly sequential (the next poll waits for the run to end), and a
 * failed run is retried after a bounded exponential backoff whether PRIMARY changed or not, since
 * the failure may have been GitHub's. Stopping is the caller's job (signals end the process), or
 * an AbortSignal in tests.
 */
import type { Logger } from '../util/logger.js';
import { formatDuration } from './duration.js';
import type { PollResult } from './change-detector.js';

export interface WatchLoopDeps {
  readonly intervalMs: number;
  /** Longest wait after repeated failures; default the larger of the interval and one hour. */
  readonly maxBackoffMs?: number;
  poll(): Promise<PollResult>;
  /** Runs one sync and returns its exit code; must not throw. */
  runOnce(reason: string): Promise<number>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

/** Wait before the next attempt after `failures` failed runs in a row: interval, 2×, 4×, … capped. */
export function failureDelay(failures: number, intervalMs: number, maxMs: number): number {
  return Math.min(maxMs, intervalMs * 2 ** Math.max(0, failures - 1));
}

function reportProblems(result: PollResult, log: Logger): void {
  for (const p of result.problems) log.warn(`watch: could not poll ${p.category}: ${p.message}`, { category: p.category });
}

export async function runWatchLoop(deps: WatchLoopDeps): Promise<void> {
  const { log, signal } = deps;
  const maxBackoff = deps.maxBackoffMs ?? Math.max(deps.intervalMs, 3_600_000);
  // The baseline is taken before the first run, so a change made during that run is seen next time.
  reportProblems(await deps.poll(), log);
  let failures = 0;
  let reason = 'start';
  while (signal?.aborted !== true) {
    const code = await deps.runOnce(reason);
    failures = code === 0 ? 0 : failures + 1;
    for (;;) {
      const wait = failures === 0 ? deps.intervalMs : failureDelay(failures, deps.intervalMs, maxBackoff);
      if (failures > 0) log.warn(`watch: the run failed (exit code ${code}, ${failures} in a row); next attempt in ${formatDuration(wait)}`);
      try {
        await deps.sleep(wait, signal);
      } catch {
        return; // aborted
      }
      const result = await deps.poll();
      reportProblems(result, log);
      if (failures > 0) {
        reason = 'retry after a failed run';
        break;
      }
      if (result.changed.length > 0) {
        reason = `PRIMARY changed: ${result.changed.join(', ')}`;
        break;
      }
      log.detail(`watch: no change in PRIMARY (${result.notModified} answered 304 Not Modified)`);
    }
  }
}
