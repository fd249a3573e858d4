/**
 * Bundles the CLI into dist/cli/ with esbuild: one entry file plus a chunk per lazily loaded
 * command, dependencies included. Node's ESM loader resolves and compiles every module file on
 * its own, which cost ~0.3 s of every sync run with ~200 files; the bundle keeps the same lazy
 * `import()` boundaries (so `--help` loads no Octokit or zod) at a fraction of the start-up.
 * The unbundled tsc output in dist/src stays what the unit tests import.
 */
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;
await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/src/cli/main.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // ESM builds first: jsonc-parser's UMD build require()s its own files at run time.
  mainFields: ['module', 'main'],
  target: 'node20.19',
  // CommonJS dependencies (simple-git, proper-lockfile) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __hmsCreateRequire } from 'node:module'; const require = __hmsCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
