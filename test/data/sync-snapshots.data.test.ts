/**
 * Opt-in end-to-end check on the real snapshots (`npm run test:data`): the fake GitHub holds an
 * older snapshot of both repositories, the fake PRIMARY serves a newer one (in PRIMARY's own bytes),
 * and the built CLI runs against them.
 * - the dry run's names per category equal an independent computation in Python;
 * - a real run opens one PR per repository whose diff touches only the changed entries' lines,
 *   and whose db.json is byte for byte what the real convert.py makes of its models.csv;
 * - a second run changes nothing.
 * Prints wall times and diff sizes. Needs python3.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { parseLex } from '../../src/formats/json/lex-value.js';
import { pythonDumps } from '../../src/formats/json/python-json.js';
import { startSyncScenario, type ScenarioData } from '../support/sync-scenario.js';
import { syncJson, type ReportJson } from '../e2e/helpers.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const data = resolve(root, process.env.HORDE_SYNC_DATA ?? '../shared/data');
const IMAGE = join(data, 'AI-Horde-image-model-reference');
const TEXT = join(data, 'AI-Horde-text-model-reference');

/** PRIMARY's bytes for a file Python wrote: json.dumps(indent=2, ensure_ascii=False), no final newline. */
const asPrimary = (text: string): string => pythonDumps(parseLex(text), { indent: '  ', ensureAscii: false });

function scenarioData(imageOld: string, imageNew: string, textOld: string, textNew: string): ScenarioData {
  const folder = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  const imageRepo = folder(join(IMAGE, imageOld));
  const textRepo = folder(join(TEXT, textOld));
  const primary: Record<string, string> = {};
  for (const [file, text] of Object.entries(folder(join(IMAGE, imageNew)))) {
    const name = file.replace(/\.json$/, '');
    primary[name === 'stable_diffusion' ? 'image_generation' : name] = asPrimary(text);
  }
  primary['text_generation'] = asPrimary(readFileSync(join(TEXT, textNew, 'db.json'), 'utf8'));
  return { imageRepo, textRepo, primary };
}

/** The independent computation: a few lines of Python over the two folders. */
const PYTHON_DIFF = `
import json, sys
old, new = sys.argv[1], sys.argv[2]
out = {}
for spec in sys.argv[3:]:
    cat, f_old, f_new = spec.split(':')
    a = json.load(open(old + '/' + f_old)); b = json.load(open(new + '/' + f_new))
    out[cat] = {'added': sorted(k for k in b if k not in a), 'removed': sorted(k for k in a if k not in b),
                'modified': sorted(k for k in a if k in b and a[k] != b[k])}
print(json.dumps(out))
`;

async function pythonTruth(oldDir: string, newDir: string, specs: string[]): Promise<Record<string, { added: string[]; removed: string[]; modified: string[] }>> {
  const { stdout } = await run('python3', ['-c', PYTHON_DIFF, oldDir, newDir, ...specs], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as Record<string, { added: string[]; removed: string[]; modified: string[] }>;
}

/** Python sorts by code point; so does the tool. */
const sortPy = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function lineStats(before: string, after: string): { removed: number; added: number } {
  let removed = 0;
  let added = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  return { removed, added };
}

const IMAGE_FILES = ['blip', 'clip', 'codeformer', 'controlnet', 'esrgan', 'gfpgan', 'miscellaneous', 'safety_checker'].map((c) => `${c}:${c}.json:${c}.json`);

describe.each([
  ['pre-sync-2026-03', 'new-2026-06', 'pre-sync-2026-05', 'new-2026-06'],
  ['mid-2025-10', 'new-2026-06', 'mid-2025-11', 'new-2026-06'],
])('real snapshots: repositories at %s / %s → PRIMARY at %s / %s', (imageOld, imageNew, textOld, textNew) => {
  it('the data folder exists', () => {
    expect(existsSync(join(TEXT, 'convert.py')), `no snapshots at ${data}; set HORDE_SYNC_DATA`).toBe(true);
  });

  it('dry run names equal an independent Python computation; a real run opens one minimal PR per repository; a second run changes nothing', async () => {
    const s = await startSyncScenario({ data: scenarioData(imageOld, imageNew, textOld, textNew) });
    try {
      // --- dry run vs Python ---------------------------------------------------------------------
      const dry = await syncJson(s, ['--dry-run', '--force']);
      expect(dry.run.code, dry.run.stderr).toBe(0);
      const truth = {
        ...(await pythonTruth(join(IMAGE, imageOld), join(IMAGE, imageNew), [...IMAGE_FILES, 'image_generation:stable_diffusion.json:stable_diffusion.json'])),
        ...(await pythonTruth(join(TEXT, textOld), join(TEXT, textNew), ['text_generation:db.json:db.json'])),
      };
      const report = dry.report as ReportJson;
      for (const repo of report.repos) {
        for (const c of repo.categories) {
          const expected = truth[c.category]!;
          expect({ added: c.added, removed: c.removed, modified: c.modified }, c.category).toEqual({
            added: sortPy(expected.added),
            removed: sortPy(expected.removed),
            modified: sortPy(expected.modified),
          });
        }
      }
      const withoutForce = await syncJson(s, ['--dry-run']);
      console.log(`dry run ${imageOld}/${textOld}: ${dry.run.durationMs} ms (exit ${dry.run.code}); without --force: exit ${withoutForce.run.code}`);

      // --- real run -----------------------------------------------------------------------------
      const first = await syncJson(s, ['--force']);
      expect(first.run.code, first.run.stderr).toBe(0);
      const rows: string[] = [];
      for (const [repo, files] of [
        [s.imageRepo, s.data.imageRepo],
        [s.textRepo, s.data.textRepo],
      ] as const) {
        const pulls = s.gh.pulls(s.owner, repo);
        const changed = report.repos.find((r) => r.repo.endsWith(repo))!.categories.some((c) => c.added.length + c.removed.length + c.modified.length > 0);
        expect(pulls).toHaveLength(changed ? 1 : 0);
        for (const path of Object.keys(files)) {
          const before = files[path]!;
          const after = (await s.gh.readFile(s.owner, repo, 'sync/from-primary', path)) ?? before;
          if (after === before) continue;
          const stats = lineStats(before, after);
          rows.push(`${repo.replace('AI-Horde-', '')}/${path}: -${stats.removed} +${stats.added} lines (file ${before.split('\n').length} lines)`);
        }
      }
      console.log(`first run: ${first.run.durationMs} ms\n  ${rows.join('\n  ')}`);

      // db.json on the branch is exactly what the real convert.py makes of the branch's models.csv.
      const work = await mkdtemp(join(tmpdir(), 'hms-convert-'));
      try {
        await writeFile(join(work, 'models.csv'), (await s.gh.readFile(s.owner, s.textRepo, 'sync/from-primary', 'models.csv'))!);
        for (const f of ['defaults.json', 'generation_params.json']) await writeFile(join(work, f), s.data.textRepo[f]!);
        await copyFile(join(TEXT, 'convert.py'), join(work, 'convert.py'));
        await run('python3', ['convert.py'], { cwd: work });
        const expected = readFileSync(join(work, 'db.json'), 'utf8');
        expect((await s.gh.readFile(s.owner, s.textRepo, 'sync/from-primary', 'db.json')) === expected, 'db.json = convert.py(models.csv)').toBe(true);
      } finally {
        await rm(work, { recursive: true, force: true });
      }

      // --- second run: nothing changes -------------------------------------------------------------
      const shas = [await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary'), await s.gh.branchSha(s.owner, s.textRepo, 'sync/from-primary')];
      s.gh.resetLog();
      const second = await syncJson(s, ['--force']);
      expect(second.run.code).toBe(0);
      for (const repo of second.report!.repos) expect(repo.pullRequest?.action ?? 'none', repo.repo).toMatch(/unchanged|none/);
      expect([await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary'), await s.gh.branchSha(s.owner, s.textRepo, 'sync/from-primary')]).toEqual(shas);
      expect(s.gh.requests.filter((r) => r.kind === 'git' || r.method !== 'GET')).toEqual([]);
      console.log(`second run: ${second.run.durationMs} ms (no git, no writes)`);
    } finally {
      await s.close();
    }
  });
});
