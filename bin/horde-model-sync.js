#!/usr/bin/env node
// Thin launcher. `npm run build` (run by `npm ci` through `prepare`) compiles the TypeScript to
// dist/src and bundles the CLI into dist/cli (scripts/bundle.mjs): one file to load instead of
// ~200 modules, which keeps start-up short for hourly runs. (No `module.enableCompileCache()`:
// Node 22+ would write its cache under the temp dir, and a dry run or `doctor` writes nothing.)
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
