/** The package version, read from package.json so there is one source of truth. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // Compiled to dist/src/version.js, package.json sits two levels up; bundled into
  // dist/cli/chunks/*.js, three levels up; under vitest (src/version.ts), one level up.
  for (const relative of ['../../package.json', '../../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'horde-model-sync' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
