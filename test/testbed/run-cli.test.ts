import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgvWatcher, cliBinPath, collectFilesContaining, runCli } from '../support/run-cli.js';
import { secret, tempDir } from './helpers.js';

let work: { path: string; cleanup: () => Promise<void> };
let leaky: string;
let careful: string;
let printEnv: string;

beforeAll(async () => {
  work = await tempDir('run-cli');
  // Stand-ins for the CLI: one passes the token to a child in argv (the bug the watcher exists
  // for), one passes it in the environment only (what the product must do).
  leaky = join(work.path, 'leaky.mjs');
  await writeFile(
    leaky,
    `import { spawn } from 'node:child_process';
const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1000)', process.env.TOKEN], { stdio: 'inherit' });
c.on('exit', (code) => process.exit(code ?? 1));
`,
  );
  careful = join(work.path, 'careful.mjs');
  await writeFile(
    careful,
    `import { spawn } from 'node:child_process';
const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { stdio: 'inherit', env: { ...process.env } });
c.on('exit', (code) => process.exit(code ?? 1));
`,
  );
  printEnv = join(work.path, 'env.mjs');
  await writeFile(printEnv, 'process.stdout.write(JSON.stringify({ env: process.env, argv: process.argv.slice(2), cwd: process.cwd() }));\nprocess.stderr.write("err-line");\nprocess.exitCode = 3;\n');
});
afterAll(() => work.cleanup());

describe('runCli and the secret watcher', () => {
  it('catches a secret in the argv of a short-lived grandchild, and names only the command', async () => {
    const token = secret();
    const run = await runCli([], { script: leaky, env: { TOKEN: token }, watchSecrets: [token], timeoutMs: 10_000 });
    expect(run.code).toBe(0);
    expect(run.secretSightings.length).toBeGreaterThan(0);
    expect(run.secretSightings[0]).toMatch(/^node \(pid \d+\)$/);
    expect(run.secretSightings.join(' ')).not.toContain(token);
  });

  it('reports nothing when the secret stays in the environment (negative control)', async () => {
    const token = secret();
    const run = await runCli([], { script: careful, env: { TOKEN: token }, watchSecrets: [token], timeoutMs: 10_000 });
    expect(run.code).toBe(0);
    expect(run.secretSightings).toEqual([]);
  });

  it('the watcher itself polls continuously while it runs', async () => {
    const w = new ArgvWatcher([secret()]);
    await w.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(await w.stop()).toEqual([]);
    expect(w.scanCount).toBeGreaterThan(3);
    expect(() => new ArgvWatcher(['abc'])).toThrow();
  });

  it('spawns with a clean environment, the given cwd and args, and captures the exit code and output', async () => {
    const previous = process.env.GITHUB_TOKEN;
    process.env.GITHUB_TOKEN = 'ghp_should_never_reach_the_child';
    try {
      const run = await runCli(['--json', 'x y'], { script: printEnv, cwd: work.path, env: { HORDE_GITHUB_SYNC_DRY_RUN: 'true', DROPPED: undefined } });
      const seen = JSON.parse(run.stdout) as { env: Record<string, string>; argv: string[]; cwd: string };
      expect(Object.keys(seen.env).sort()).toEqual(['HOME', 'HORDE_GITHUB_SYNC_DRY_RUN', 'LANG', 'PATH']);
      expect(seen.env.HOME).not.toBe(process.env.HOME);
      expect(seen.argv).toEqual(['--json', 'x y']);
      expect(seen.cwd).toBe(work.path);
      expect(run).toMatchObject({ code: 3, stderr: 'err-line', timedOut: false });
    } finally {
      if (previous === undefined) delete process.env.GITHUB_TOKEN;
      else process.env.GITHUB_TOKEN = previous;
    }
    const hang = join(work.path, 'hang.mjs');
    await writeFile(hang, 'setTimeout(() => {}, 60_000);\n');
    const slow = await runCli([], { script: hang, timeoutMs: 200 });
    expect(slow).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(await cliBinPath()).toMatch(/\/bin\/horde-model-sync\.js$/);
  });

  it('collectFilesContaining finds a secret in file contents and names, nowhere else', async () => {
    const token = secret();
    const root = join(work.path, 'scan');
    await mkdir(join(root, 'repo/.git'), { recursive: true });
    await writeFile(join(root, 'repo/.git/config'), `[http]\n\textraHeader = Authorization: Basic ${token}\n`);
    await writeFile(join(root, 'clean.txt'), 'nothing here');
    await writeFile(join(root, `log-${token}.txt`), '');
    expect(await collectFilesContaining(root, token)).toEqual(['log-' + token + '.txt', 'repo/.git/config'].sort());
    expect(await collectFilesContaining(root, secret())).toEqual([]);
  });
});
