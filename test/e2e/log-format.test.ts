import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockRepositories } from '../../src/util/lock.js';
import { runCli, type RunCliResult } from '../support/run-cli.js';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';

interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  time: string;
  message: string;
  repository?: string;
  category?: string;
  durationMs?: number;
  [key: string]: unknown;
}

/** Every line on stderr is one JSON object with level, time and message first. */
function jsonLines(run: RunCliResult): LogLine[] {
  expect(run.stderr).not.toBe('');
  return run.stderr
    .trimEnd()
    .split('\n')
    .map((line) => {
      const parsed = JSON.parse(line) as LogLine;
      expect(Object.keys(parsed).slice(0, 3)).toEqual(['level', 'time', 'message']);
      expect(['debug', 'info', 'warn', 'error']).toContain(parsed.level);
      expect(new Date(parsed.time).toISOString()).toBe(parsed.time);
      return parsed;
    });
}

describe('--log-format json', () => {
  let s: SyncScenario;
  beforeAll(async () => {
    s = await startSyncScenario();
  });
  afterAll(async () => s.close());

  const run = (extra: string[], env: Record<string, string | undefined> = {}, cwd?: string) =>
    runCli([...s.args, ...extra], { env: { ...s.env, ...env }, watchSecrets: [s.token], ...(cwd !== undefined ? { cwd } : {}) });

  it('a real sync: every line parses; categories, pull requests and the summary carry structured fields', async () => {
    const result = await run(['--log-format', 'json', '--verbose', '--categories', 'clip,image_generation,text_generation']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain(s.token);
    expect(result.secretSightings).toEqual([]);
    const lines = jsonLines(result);
    const image = `${s.owner}/${s.imageRepo}`;
    expect(lines.find((l) => l.category === 'clip' && l.level === 'info')).toMatchObject({ message: 'clip: in sync', repository: image, status: 'in-sync', added: 0 });
    expect(lines.find((l) => l.category === 'image_generation' && l.level === 'info')).toMatchObject({
      message: 'image_generation: +5 −4 ~1',
      repository: image,
      status: 'changed',
      added: 5,
      removed: 4,
      modified: 1,
      files: ['stable_diffusion.json'],
    });
    expect(lines.find((l) => l.message.startsWith('pull request #1 created'))).toMatchObject({ repository: image, pullRequest: { number: 1, action: 'created' } });
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ level: 'info', message: 'Drift: +14 −4 ~16', dryRun: false, failed: 0 });
    expect(summary.durationMs).toBeGreaterThan(0);
    // --verbose adds debug lines, e.g. how long each PRIMARY category took.
    expect(lines.find((l) => l.level === 'debug' && l.category === 'text_generation')).toMatchObject({ message: 'PRIMARY text_generation: ok' });
    expect(lines.find((l) => l.level === 'debug' && l.category === 'text_generation')!.durationMs).toBeGreaterThanOrEqual(0);
    // No colour, no progress line.
    expect(result.stderr).not.toMatch(/\u001b|\r/);
  });

  it('from the environment: a failing category is a line with level error; --json still goes to stdout', async () => {
    s.primary.enqueue('clip', ...Array.from({ length: 4 }, () => ({ status: 503 })));
    const result = await run(['--dry-run', '--json', '--categories', 'clip,blip'], { HORDE_GITHUB_SYNC_LOG_FORMAT: 'json' });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true });
    const error = jsonLines(result).find((l) => l.level === 'error');
    expect(error).toMatchObject({ category: 'clip', repository: `${s.owner}/${s.imageRepo}`, status: 'error' });
    expect(error!.message).toContain('PRIMARY did not answer for clip');
  });

  it('from the env file', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hms-logfmt-'));
    try {
      await writeFile(join(cwd, '.env.sync'), 'HORDE_GITHUB_SYNC_LOG_FORMAT=json\n');
      const result = await run(['--dry-run', '--categories', 'blip'], {}, cwd);
      expect(result.code).toBe(0);
      expect(jsonLines(result).at(-1)).toMatchObject({ message: 'No drift (dry run)' });
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('bad configuration, an unknown option and a held lock are JSON lines too', async () => {
    const bad = await run(['--log-format', 'json', '--categories', 'bogus', '--min-changes', 'x']);
    expect(bad.code).toBe(2);
    const [line] = jsonLines(bad);
    expect(line).toMatchObject({ level: 'error' });
    expect(line!.message).toMatch(/^bad configuration: /);
    expect(line!['problems']).toHaveLength(2);

    const unknown = await run(['--log-format', 'json', '--no-such-option']);
    expect(unknown.code).toBe(2);
    expect(jsonLines(unknown)[0]!.message).toContain("unknown option '--no-such-option'");

    const held = await lockRepositories(s.env.HORDE_GITHUB_SYNC_STATE_DIR!, [`${s.gh.apiUrl} ${s.owner}/${s.imageRepo}`], (k) => k);
    try {
      const locked = await run(['--categories', 'clip'], { HORDE_GITHUB_SYNC_LOG_FORMAT: 'json' });
      expect(locked.code).toBe(75);
      expect(jsonLines(locked).at(-1)!.message).toContain('another horde-model-sync run is syncing');
    } finally {
      await held.release();
    }
  });

  it('refuses an unknown format, and keeps the human format by default', async () => {
    const bad = await run(['--dry-run', '--log-format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--log-format: "xml" is not a log format; expected human or json');
    const human = await run(['--dry-run', '--categories', 'blip']);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain('✓ blip (blip.json): in sync');
    expect(human.stderr).not.toMatch(/^\{/m);
  });
});
