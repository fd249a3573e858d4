import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type RunCliResult } from '../support/run-cli.js';
import { fixtureScenarioData, startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

interface LogLine {
  level: string;
  time: string;
  message: string;
  [key: string]: unknown;
}

/** Every stderr line must be one JSON object with level, time and message. */
function parseLog(stderr: string): LogLine[] {
  return stderr
    .trimEnd()
    .split('\n')
    .map((line) => {
      const parsed = JSON.parse(line) as LogLine;
      expect(typeof parsed.level).toBe('string');
      expect(Number.isNaN(Date.parse(parsed.time))).toBe(false);
      expect(typeof parsed.message).toBe('string');
      return parsed;
    });
}

/** clip as PRIMARY serves it, plus one new entry: drift a run turns into a pull request. */
function clipWithNewEntry(): string {
  const clip = JSON.parse(fixtureScenarioData().primary['clip']!) as Record<string, Record<string, unknown>>;
  const [first] = Object.values(clip);
  return JSON.stringify({ ...clip, 'ViT-watch/1': { ...first, name: 'ViT-watch/1' } }, null, 2);
}

describe('watch', () => {
  let s: SyncScenario;
  let pid: number;
  let running: Promise<RunCliResult>;
  beforeEach(async () => {
    s = await startSyncScenario();
    pid = 0;
  });
  afterEach(async () => {
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await running?.catch(() => undefined);
    await s.close();
  });

  const history = (): { trigger: string; exitCode: number; repos: { pullRequest: { action: string } | null }[] }[] => {
    const file = join(s.env.HORDE_GITHUB_SYNC_STATE_DIR!, 'history.jsonl');
    if (!existsSync(file)) return [];
    // Only complete lines: the file may be read while a run is appending to it.
    const text = readFileSync(file, 'utf8');
    return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  };
  const watch = (extra: string[] = []): void => {
    running = runCli(['watch', ...s.args, '--interval', '1s', '--log-format', 'json', '--categories', 'clip,blip', ...extra], {
      env: s.env,
      watchSecrets: [s.token],
      onSpawn: (p) => (pid = p),
    });
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<{ run: RunCliResult; ms: number }> => {
    // pid 0 would signal this whole process group, test runner included.
    if (pid <= 0) throw new Error('watch is not running');
    const started = Date.now();
    process.kill(pid, signal);
    const run = await running;
    pid = 0;
    return { run, ms: Date.now() - started };
  };

  it('runs at start, then exactly once per PRIMARY change, never without one; SIGTERM exits 0 promptly', async () => {
    watch();
    await waitFor(() => history().length === 1);
    const conditionalBefore = s.primary.requests.filter((r) => r.conditional && r.status === 304).length;
    await sleep(3500);
    expect(history()).toHaveLength(1); // no change, no run
    // Polls are conditional requests that PRIMARY answers 304 Not Modified.
    expect(s.primary.requests.filter((r) => r.conditional && r.status === 304).length - conditionalBefore).toBeGreaterThanOrEqual(4);

    s.primary.setCategory('clip', clipWithNewEntry());
    await waitFor(() => history().length === 2, 10_000);
    await sleep(3500);
    expect(history()).toHaveLength(2); // one change, one run
    const [first, second] = history();
    expect(first).toMatchObject({ trigger: 'watch', exitCode: 0 });
    expect(second).toMatchObject({ trigger: 'watch', exitCode: 0 });
    expect(second!.repos[0]!.pullRequest).toMatchObject({ action: 'created' });
    expect(s.gh.pulls(s.owner, s.imageRepo)).toHaveLength(1);

    const { run, ms } = await stop('SIGTERM');
    expect(run.code).toBe(0);
    expect(ms).toBeLessThan(3000);
    expect(run.secretSightings).toEqual([]);
    expect(run.stderr).not.toContain(s.token);
    const lines = parseLog(run.stderr);
    const messages = lines.map((l) => l.message);
    expect(messages.filter((m) => /^watch: run \d+ starts/.test(m))).toEqual(['watch: run 1 starts (start)', 'watch: run 2 starts (PRIMARY changed: clip)']);
    expect(lines.find((l) => l.message === 'clip: +1 −0 ~0')).toMatchObject({ category: 'clip', repository: `${s.owner}/${s.imageRepo}` });
    expect(messages.at(-1)).toMatch(/^watch stopped by SIGTERM/);
  });

  it('retries a failed run after a backoff although PRIMARY did not change, then goes quiet', async () => {
    s.gh.injectFault({ path: new RegExp(`/repos/${s.owner}/${s.imageRepo}$`), type: 'status', status: 403, times: 1 });
    watch();
    await waitFor(() => history().length === 2, 10_000);
    expect(history().map((r) => r.exitCode)).toEqual([1, 0]);
    await sleep(3000);
    expect(history()).toHaveLength(2);
    const { run } = await stop('SIGINT');
    expect(run.code).toBe(0);
    const messages = parseLog(run.stderr).map((l) => l.message);
    expect(messages).toContain('watch: run 2 starts (retry after a failed run)');
    expect(messages.some((m) => m.startsWith('watch: the run failed (exit code 1, 1 in a row); next attempt in 1s'))).toBe(true);
  });

  it('SIGTERM during a run aborts it cleanly: exit 0, no temp clone, lock released, nothing pushed', async () => {
    s.primary.setCategory('clip', clipWithNewEntry());
    s.gh.injectFault({ path: '/git-upload-pack', kind: 'git', type: 'delay', delayMs: 5000, times: 1 });
    watch();
    await waitFor(() => s.gh.requests.some((r) => r.kind === 'git' && r.path.endsWith('/git-upload-pack')));
    expect(await readdir(s.tmpDir)).not.toEqual([]);
    const { run, ms } = await stop('SIGTERM');
    expect(run.code).toBe(0);
    expect(ms).toBeLessThan(3000);
    await sleep(300);
    expect(await readdir(s.tmpDir)).toEqual([]);
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).toBeNull();
    // The run that was cut short is in the history, marked as such.
    expect(history()).toEqual([expect.objectContaining({ trigger: 'watch', exitCode: 0, interrupted: 'SIGTERM' })]);
    // The lock was released: a normal run right after succeeds instead of exiting 75.
    const next = await runCli([...s.args, '--categories', 'clip'], { env: s.env });
    expect(next.code).toBe(0);
  });

  it('refuses a bad interval before doing anything', async () => {
    const run = await runCli(['watch', ...s.args, '--interval', 'soon'], { env: s.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--interval: "soon" is not a duration; expected e.g. 90s, 15m, 1h or a number of seconds');
    const fromEnv = await runCli(['watch', ...s.args], { env: { ...s.env, HORDE_GITHUB_SYNC_WATCH_INTERVAL_SECONDS: '0' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('HORDE_GITHUB_SYNC_WATCH_INTERVAL_SECONDS (environment): "0" is too short');
    expect(s.primary.requests).toEqual([]);
  });
});
