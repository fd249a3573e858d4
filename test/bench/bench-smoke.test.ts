/**
 * `npm run bench` at 1× with one repetition: every case runs, every run reports the known truth,
 * the table lists every case and the JSON results file is written. Budgets are not asserted here
 * (a shared CI machine is no place for timing): the bench's exit code 2 means "correct but over a
 * budget", 1 means a run failed or was wrong, and only 1 fails this test.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/sync-scenario.js';

interface BenchJson {
  results: { case: string; scale: number | null; runs: { ms: number; peakKb: number | null }[]; medianS: number | null; floorS: number | null; sequentialFloorS: number | null; problems: string[] }[];
  table: string;
  exitCode: number;
}

describe('npm run bench (1×, one repetition)', () => {
  let dir: string;
  let code: number | null;
  let stdout: string;
  let stderr: string;
  let json: BenchJson;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    const out = join(dir, 'latest.json');
    ({ code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(projectRoot(), 'dist', 'bench', 'bench.js'), '--quick', '--scales', '1', '--reps', '1', '--out', out],
        { cwd: projectRoot(), timeout: 150_000, maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' } },
        (error, so, se) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout: String(so), stderr: String(se) }),
      );
    }));
    json = JSON.parse(await readFile(out, 'utf8')) as BenchJson;
  }, 180_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('runs every case correctly (exit 0, or 2 when only a budget was missed)', () => {
    expect([0, 2], stderr.slice(-2000)).toContain(code);
    expect(json.exitCode).toBe(code);
    for (const r of json.results) expect(r.problems, `${r.case} ${r.scale}`).toEqual([]);
  });

  it('prints a table with every case, its time, peak RSS, floor and budget', () => {
    const rows = stdout.split('\n').filter((line) => line.startsWith('| '));
    expect(rows[0]).toMatch(/\| case .*\| median s .*\| peak RSS MB .*\| floor s .*\| ratio .*\| budget .*\| result/);
    for (const [name, scale] of [
      ['help', '-'],
      ['dry-run', '1x'],
      ['full-sync', '1x'],
      ['re-run', '1x'],
    ]) {
      const row = rows.find((line) => new RegExp(`^\\| ${name} +\\| ${scale} +\\|`).test(line));
      expect(row, `${name} ${scale}`).toBeDefined();
      expect(row).toMatch(/\| (pass|FAIL: [^|]+?) *\|$/);
    }
    expect(stdout.trim()).toBe(json.table.trim());
  });

  it('measured what it says: times, peak RSS of the CLI process, and floors', () => {
    const byCase = new Map(json.results.map((r) => [r.case, r]));
    for (const name of ['help', 'dry-run', 'full-sync', 're-run']) {
      const r = byCase.get(name)!;
      expect(r.runs.length, name).toBeGreaterThan(0);
      expect(r.medianS, name).toBeGreaterThan(0);
      for (const run of r.runs) expect(run.peakKb, name).toBeGreaterThan(10_000);
    }
    expect(byCase.get('dry-run')!.floorS).toBeGreaterThan(0);
    expect(byCase.get('full-sync')!.floorS).toBeGreaterThan(0);
    expect(byCase.get('full-sync')!.sequentialFloorS).toBeGreaterThan(0);
  });
});
