/**
 * Cleanups that must run even when the process is interrupted: temp clones and locks. The CLI
 * entry point runs them on SIGINT/SIGTERM before exiting; normal code paths run them in `finally`.
 */
import { rmSync } from 'node:fs';

const pending = new Set<() => void>();

/** Aborted on SIGINT/SIGTERM: running git processes are killed before their folders are removed. */
export const interruption = new AbortController();

const operations = new Set<Promise<unknown>>();

/**
 * Tracks a child-process operation (a git command) until it settles, so an interrupted run can
 * wait for the killed process to be gone before removing its folder: a git still exiting may
 * otherwise re-create the path it was writing to.
 */
export function trackOperation<T>(operation: Promise<T>): Promise<T> {
  operations.add(operation);
  const forget = (): void => {
    operations.delete(operation);
  };
  operation.then(forget, forget);
  return operation;
}

/** Resolves when every tracked operation has settled, or after `timeoutMs`. */
export async function settleOperations(timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled([...operations]), timeout]);
  clearTimeout(timer);
}

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
