import { existsSync, mkdirSync, utimesSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockFilePath } from '../../src/util/lock.js';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import { runCli } from '../support/run-cli.js';
import { pullRequestOf, syncJson } from './helpers.js';

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('overlapping runs', () => {
  let s: SyncScenario;
  beforeEach(async () => {
    s = await startSyncScenario();
  });
  afterEach(async () => s.close());

  it('a second run while the first holds the lock exits 75 quickly and opens no second PR', async () => {
    const stateDir = s.env['HORDE_GITHUB_SYNC_STATE_DIR']!;
    const lock = `${lockFilePath(stateDir, `${s.gh.apiUrl} ${s.owner}/${s.imageRepo}`)}.lock`;
    s.primary.enqueue('image_generation', { delayMs: 3000 });
    const first = syncJson(s, ['--categories', 'image_generation']);
    await waitFor(() => existsSync(lock));

    const second = await syncJson(s, ['--categories', 'image_generation']);
    expect(second.run.code).toBe(75);
    expect(second.run.durationMs).toBeLessThan(2500);
    expect(second.run.stderr).toMatch(new RegExp(`another horde-model-sync run is syncing ${s.owner}/${s.imageRepo} .*try again later`));
    expect(second.run.stdout).toBe('');

    const done = await first;
    expect(done.run.code).toBe(0);
    expect(pullRequestOf(done, s.imageRepo)).toMatchObject({ action: 'created' });
    expect(s.gh.pulls(s.owner, s.imageRepo)).toHaveLength(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('a dry run never waits for or blocks a real run', async () => {
    s.primary.enqueue('image_generation', { delayMs: 2000 });
    const stateDir = s.env['HORDE_GITHUB_SYNC_STATE_DIR']!;
    const lock = `${lockFilePath(stateDir, `${s.gh.apiUrl} ${s.owner}/${s.imageRepo}`)}.lock`;
    const real = syncJson(s, ['--categories', 'image_generation']);
    await waitFor(() => existsSync(lock));
    const preview = await syncJson(s, ['--categories', 'image_generation', '--dry-run']);
    expect(preview.run.code).toBe(0);
    expect((await real).run.code).toBe(0);
  });

  it('a stale lock left by a killed run is taken over', async () => {
    const stateDir = s.env['HORDE_GITHUB_SYNC_STATE_DIR']!;
    const lock = `${lockFilePath(stateDir, `${s.gh.apiUrl} ${s.owner}/${s.imageRepo}`)}.lock`;
    mkdirSync(lock, { recursive: true });
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    const result = await syncJson(s, ['--categories', 'image_generation']);
    expect(result.run.code).toBe(0);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
  });
});

describe('interrupted runs leave nothing behind', () => {
  let s: SyncScenario;
  beforeEach(async () => {
    s = await startSyncScenario();
  });
  afterEach(async () => s.close());

  for (const [signal, code, stage, path] of [
    ['SIGTERM', 143, 'clone', '/git-upload-pack'],
    ['SIGINT', 130, 'push', '/git-receive-pack'],
  ] as const) {
    it(`${signal} during the ${stage}: no temp clone, no branch, no PR, lock released; the next run succeeds`, async () => {
      s.gh.injectFault({ path, kind: 'git', type: 'delay', delayMs: 4000, times: 1 });
      let pid = 0;
      const running = runCli([...s.args, '--categories', 'image_generation'], { env: s.env, onSpawn: (p) => (pid = p) });
      // Wait until git is talking to the server for this stage, then interrupt.
      await waitFor(() => s.gh.requests.some((r) => r.kind === 'git' && r.path.endsWith(path)));
      expect(await readdir(s.tmpDir)).not.toEqual([]);
      process.kill(pid, signal);
      const run = await running;
      expect(run.code).toBe(code);
      expect(run.stderr).toContain(`interrupted by ${signal}`);
      await new Promise((r) => setTimeout(r, 300));
      expect(await readdir(s.tmpDir)).toEqual([]);
      expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).toBeNull();
      expect(s.gh.pulls(s.owner, s.imageRepo)).toEqual([]);

      const next = await syncJson(s, ['--categories', 'image_generation']);
      expect(next.run.code).toBe(0);
      expect(pullRequestOf(next, s.imageRepo)).toMatchObject({ action: 'created' });
    });
  }
});
