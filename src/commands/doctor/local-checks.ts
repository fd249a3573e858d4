/** What a run needs from this machine: a writable state directory (locks, history) and git. */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from '../../config/settings.js';
import { ENV } from '../../config/names.js';
import { fail, pass, skip, type Check } from './check.js';

/** Checks without creating anything: the directory, or the nearest parent it would be created in. */
export function stateDirCheck(stateDir: string): Check {
  const name = 'state directory';
  const fix = `set --state-dir (${ENV.stateDir}) to a directory the service user may write, or create ${stateDir} for it`;
  let dir = stateDir;
  for (;;) {
    try {
      if (!statSync(dir).isDirectory()) return fail(name, `${dir} exists but is not a directory`, fix);
      accessSync(dir, constants.W_OK | constants.X_OK);
      return pass(name, dir === stateDir ? `${stateDir} (writable)` : `${stateDir} (will be created in ${dir})`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') return fail(name, `${dir} is not writable (${code ?? 'error'})`, fix);
    }
    const parent = dirname(dir);
    if (parent === dir) return fail(name, `no existing parent of ${stateDir}`, fix);
    dir = parent;
  }
}

export function gitCheck(settings: Settings): Check {
  if (settings.dryRun) return skip('git', 'not needed: dry runs do not clone');
  const result = spawnSync('git', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error !== undefined || result.status !== 0) {
    return fail('git', 'git was not found on PATH', 'install git (e.g. apt-get install git); a run clones and pushes with it');
  }
  return pass('git', result.stdout.trim());
}
