import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockRepositories } from '../../src/util/lock.js';
import { collectFilesContaining, runCli } from '../support/run-cli.js';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';

interface RecordJson {
  v: number;
  start: string;
  end: string;
  durationMs: number;
  trigger: string;
  dryRun: boolean;
  settingsDigest: string;
  repos: { repo: string; categories: { category: string; status: string; added: number; removed: number; modified: number }[]; pullRequest: { number: number | null; url: string | null; action: string } | null; error: string | null }[];
  exitCode: number;
  errors: string[];
  interrupted?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run history', () => {
  let s: SyncScenario;
  let stateDir: string;
  beforeAll(async () => {
    s = await startSyncScenario();
    stateDir = s.env.HORDE_GITHUB_SYNC_STATE_DIR!;
  });
  afterAll(async () => s.close());

  const sync = (extra: string[], env: Record<string, string> = {}) => runCli([...s.args, ...extra], { env: { ...s.env, ...env }, watchSecrets: [s.token] });
  const history = (extra: string[] = [], env: Record<string, string> = s.env) => runCli(['history', ...extra], { env });

  it('says so when nothing was recorded yet', async () => {
    const run = await history();
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`No runs recorded yet in ${join(stateDir, 'history.jsonl')}`);
    expect((await history(['--json'])).stdout.trim()).toBe('[]');
  });

  it('appends one line per sync — success, dry run, failure, lock held, interrupted — and shows them', async () => {
    expect((await sync(['--categories', 'image_generation,clip'])).code).toBe(0);
    expect((await sync(['--dry-run', '--categories', 'clip'])).code).toBe(0);
    s.primary.enqueue('clip', ...Array.from({ length: 4 }, () => ({ status: 503 })));
    expect((await sync(['--categories', 'clip'])).code).toBe(1);
    const held = await lockRepositories(stateDir, [`${s.gh.apiUrl} ${s.owner}/${s.imageRepo}`], (k) => k);
    try {
      expect((await sync(['--categories', 'clip'])).code).toBe(75);
    } finally {
      await held.release();
    }
    // Interrupted during the clone: the run still leaves its line.
    s.gh.injectFault({ path: '/git-upload-pack', kind: 'git', type: 'delay', delayMs: 4000, times: 1 });
    let pid = 0;
    s.gh.resetLog();
    const interrupted = runCli([...s.args, '--categories', 'text_generation'], { env: s.env, onSpawn: (p) => (pid = p) });
    const deadline = Date.now() + 15_000;
    while (pid === 0 || !s.gh.requests.some((r) => r.kind === 'git' && r.path.endsWith('/git-upload-pack'))) {
      if (Date.now() > deadline) throw new Error('the clone never started');
      await sleep(50);
    }
    process.kill(pid, 'SIGINT');
    expect((await interrupted).code).toBe(130);

    const lines = (await readFile(join(stateDir, 'history.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const records = lines.map((l) => JSON.parse(l) as RecordJson);
    const [ok, dry, failed, locked, cut] = records;
    expect(ok).toMatchObject({ v: 1, trigger: 'sync', dryRun: false, exitCode: 0, errors: [] });
    expect(Date.parse(ok!.end) - Date.parse(ok!.start)).toBe(ok!.durationMs);
    expect(ok!.repos).toHaveLength(1);
    expect(ok!.repos[0]!.categories).toEqual([
      { category: 'clip', status: 'in-sync', added: 0, removed: 0, modified: 0 },
      { category: 'image_generation', status: 'changed', added: 5, removed: 4, modified: 1 },
    ]);
    expect(ok!.repos[0]!.pullRequest).toMatchObject({ number: 1, action: 'created' });
    expect(dry).toMatchObject({ dryRun: true, exitCode: 0 });
    expect(dry!.settingsDigest).not.toBe(ok!.settingsDigest);
    expect(failed).toMatchObject({ exitCode: 1 });
    expect(failed!.errors.join('\n')).toContain('PRIMARY did not answer for clip');
    expect(locked).toMatchObject({ exitCode: 75, repos: [] });
    expect(locked!.errors[0]).toContain('another horde-model-sync run is syncing');
    expect(cut).toMatchObject({ exitCode: 130, interrupted: 'SIGINT' });

    // Shown as a table: when, how long, the result, what drifted, which pull request.
    const table = await history();
    expect(table.code).toBe(0);
    const rows = table.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^WHEN\s+TOOK\s+RESULT\s+DRIFT\s+PULL REQUESTS$/);
    const body = rows.slice(1).filter((r) => !r.startsWith('    '));
    expect(body).toHaveLength(5);
    expect(body[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +[\d.]+m?s +ok +image_generation \+5 −4 ~1 +AI-Horde-image-model-reference#1 created$/);
    expect(body[1]).toMatch(/ ok, dry run +none +—$/);
    expect(body[2]).toMatch(/ failed \(1\) +clip failed +AI-Horde-image-model-reference#1 unchanged$/); // the open PR is left as it is
    expect(body[3]).toMatch(/ locked +— +—$/);
    expect(body[4]).toMatch(/ interrupted \(SIGINT\) +— +—$/);
    expect(table.stdout).toContain('    another horde-model-sync run is syncing');

    // -n and --json.
    const last = await history(['-n', '2', '--json']);
    const json = JSON.parse(last.stdout) as RecordJson[];
    expect(json.map((r) => r.exitCode)).toEqual([75, 130]);
    expect((await history(['-n', '1'])).stdout.trimEnd().split('\n').filter((r) => !r.startsWith('    '))).toHaveLength(2);
  });

  it('never writes a secret into the state directory', async () => {
    expect(await collectFilesContaining(stateDir, s.token)).toEqual([]);
  });

  it('finds the history through --state-dir and the env file, and refuses a bad -n', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hms-history-cwd-'));
    try {
      const { HORDE_GITHUB_SYNC_STATE_DIR: _dir, ...env } = s.env;
      const viaFlag = await runCli(['history', '--state-dir', stateDir, '--json'], { env });
      expect(JSON.parse(viaFlag.stdout)).toHaveLength(5);
      await import('node:fs/promises').then((fs) => fs.writeFile(join(cwd, '.env.sync'), `HORDE_GITHUB_SYNC_STATE_DIR=${stateDir}\n`));
      const viaEnvFile = await runCli(['history', '--json'], { env, cwd });
      expect(JSON.parse(viaEnvFile.stdout)).toHaveLength(5);
      const bad = await history(['-n', 'lots']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('-n: "lots" is not a whole number ≥ 1');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
