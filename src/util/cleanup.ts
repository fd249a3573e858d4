/**
 * Cleanups that must run even when the process is interrupted: temp clones and locks. The CLI
 * entry point runs them on SIGINT/SIGTERM before exiting; normal code paths run them in `finally`.
 */
import { rmSync } from 'node:fs';

const pending = new Set<() => void>();

/** Aborted on SIGINT/SIGTERM: running git processes are killed before their folders are removed. */
export const interruption = new AbortController();

/** Registers a synchronous cleanup; returns a function that runs it once and unregisters it. */
export function registerCleanup(cleanup: () => void): () => void {
  let done = false;
  const run = (): void => {
    if (done) return;
    done = true;
    pending.delete(run);
    cleanup();
  };
  pending.add(run);
  return run;
}

export function runAllCleanups(): void {
  for (const cleanup of [...pending]) {
    try {
      cleanup();
    } catch {
      // Best effort: an interrupted run must still exit.
    }
  }
}

export function removeDirSync(path: string): void {
  rmSync(path, { recursive: true, force: true, maxRetries: 3 });
}
