import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('the built CLI on its own', () => {
  it('--version prints the version of package.json (also from the bundle)', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('--help lists the commands and needs no network or settings', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['sync', 'doctor', 'watch', 'history']) expect(run.stdout).toContain(command);
    expect(run.stdout).toContain('--dry-run');
  });
});
