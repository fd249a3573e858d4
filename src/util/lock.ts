/**
 * One run at a time per repository. Locks live in the state directory and are refreshed while the
 * run is alive, so a lock left by a killed run goes stale and is taken over (proper-lockfile).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { LockHeldError } from '../errors.js';
import { registerCleanup } from './cleanup.js';

const STALE_MS = 30_000;

/** The file whose lock guards `key` (the lock itself is `<file>.lock`, a directory). */
export function lockFilePath(stateDir: string, key: string): string {
  return join(stateDir, 'locks', `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.lock`);
}

export interface HeldLocks {
  release(): Promise<void>;
}

/** Takes the lock of every key (e.g. `api-url owner/name`), or none: throws LockHeldError. */
export async function lockRepositories(
  stateDir: string,
  keys: readonly string[],
  describe: (key: string) => string,
  onCompromised: (message: string) => void = () => {},
): Promise<HeldLocks> {
  const { default: lockfile } = await import('proper-lockfile');
  const dir = join(stateDir, 'locks');
  mkdirSync(dir, { recursive: true });
  const releases: (() => Promise<void>)[] = [];
  const releaseAll = async (): Promise<void> => {
    for (const release of releases.splice(0).reverse()) await release().catch(() => undefined);
  };
  for (const key of [...keys].sort()) {
    const file = lockFilePath(stateDir, key);
    // proper-lockfile locks a path that must exist; the file also tells a human what it is for.
    writeFileSync(file, `${key}\n`);
    try {
      const release = await lockfile.lock(file, {
        stale: STALE_MS,
        update: STALE_MS / 3,
        retries: 0,
        realpath: false,
        // The default throws from a timer and kills the run; a warning is enough.
        onCompromised: (error) => onCompromised(`the lock ${file} was lost (${error.message}); another run may start`),
      });
      const unregister = registerCleanup(() => {
        try {
          lockfile.unlockSync(file, { realpath: false });
        } catch {
          // already released
        }
      });
      releases.push(async () => {
        await release();
        unregister();
      });
    } catch (error) {
      await releaseAll();
      if ((error as { code?: string }).code === 'ELOCKED') {
        throw new LockHeldError(
          `another horde-model-sync run is syncing ${describe(key)} (lock ${file}); try again later. A lock left by a killed run expires after ${STALE_MS / 1000} s`,
        );
      }
      throw error;
    }
  }
  return { release: releaseAll };
}
