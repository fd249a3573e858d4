/**
 * The benchmark's data generator (bench/generate.ts) is only worth its numbers if its data is what
 * it claims: the repository files in the repositories' exact formats, PRIMARY's bodies in PRIMARY's
 * bytes, db.json as convert.py writes it, and a drift whose truth is known. Then the built CLI must
 * report exactly that truth at 1×, with every cosmetic-only difference left out.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, independentDiff, type GeneratedScenario } from '../../bench/generate.js';
import { runCli } from '../support/run-cli.js';
import { projectRoot, startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';

const run = promisify(execFile);
const python = await run('python3', ['-c', 'import json, csv']).then(
  () => true,
  () => false,
);

interface ReportJson {
  dryRun: boolean;
  repos: {
    repo: string;
    categories: { category: string; status: string; added: string[]; removed: string[]; modified: string[]; error: string | null }[];
    pullRequest: unknown;
  }[];
}

describe('bench/generate.ts at 1×', () => {
  let g: GeneratedScenario;
  beforeAll(() => {
    g = generateScenario({ scale: 1, seed: 7 });
  });

  it('is deterministic for a seed', () => {
    const again = generateScenario({ scale: 1, seed: 7 });
    expect(again.data).toEqual(g.data);
    expect(again.truth).toEqual(g.truth);
  });

  it('has the real shape and size, and a drift with every kind of change', () => {
    expect(g.stats.imageEntries).toBe(161);
    expect(g.stats.textModels).toBe(719);
    expect(g.stats.textRows).toBeGreaterThan(719); // duplicate rows
    const sd = g.data.imageRepo['stable_diffusion.json']!;
    expect(sd.length).toBeGreaterThan(150_000);
    expect(sd).toMatch(/\\u(2014|2019|00e9|00fc|00e8)/); // ensure_ascii escapes
    expect(sd.endsWith('}\n')).toBe(true);
    const csv = g.data.textRepo['models.csv']!;
    expect(csv.startsWith('name,parameters_bn,display_name,url,baseline,description,style,tags,instruct_format,settings\r\n')).toBe(true);
    expect(csv.split('\r\n').length).toBe(g.stats.textRows + 2);
    expect(csv).toContain('""temperature"": 1.0');
    const primary = g.data.primary['text_generation']!;
    expect(primary.endsWith('}')).toBe(true);
    expect(primary).toMatch(/[\u0080-\uffff]/); // ensure_ascii=False
    for (const category of ['image_generation', 'text_generation']) {
      const t = g.truth[category]!;
      expect(t.added.length, category).toBeGreaterThan(0);
      expect(t.removed.length, category).toBeGreaterThan(0);
      expect(t.modified.length, category).toBeGreaterThan(0);
    }
    for (const [name, count] of Object.entries(g.stats.cosmetic)) expect(count, name).toBeGreaterThan(0);
  });

  it('checks its truth with an independent diff that does see planted changes', () => {
    const repo = '{\n    "a": {\n        "x": 1.0,\n        "s": "\\u00e9"\n    },\n    "b": {\n        "y": [1, 2]\n    }\n}\n';
    const primary = '{\n  "b": {\n    "y": [2, 1]\n  },\n  "a": {\n    "s": "é",\n    "x": 1\n  },\n  "c": {}\n}';
    expect(independentDiff(repo, primary)).toEqual({ added: ['c'], removed: [], modified: ['b'] });
  });

  it.skipIf(!python)('writes exactly what Python writes: py4 files, PRIMARY bodies, models.csv and convert.py output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gen-check-'));
    try {
      for (const [name, text] of Object.entries(g.data.textRepo)) await writeFile(join(dir, name), text);
      await writeFile(join(dir, 'stable_diffusion.json'), g.data.imageRepo['stable_diffusion.json']!);
      for (const [name, text] of Object.entries(g.data.primary)) await writeFile(join(dir, `primary-${name}.json`), text);
      const script = `
import csv, io, json, os, sys
d = sys.argv[1]
def read(name):
    with open(os.path.join(d, name), encoding="utf-8", newline="") as f:
        return f.read()
sd = read("stable_diffusion.json")
assert json.dumps(json.loads(sd), indent=4) + "\\n" == sd, "stable_diffusion.json is not py4"
for name in ["image_generation", "text_generation", "blip", "controlnet"]:
    body = read("primary-" + name + ".json")
    assert json.dumps(json.loads(body), indent=2, ensure_ascii=False) == body, name + " is not PRIMARY's bytes"
text = read("models.csv")
out = io.StringIO()
csv.writer(out, lineterminator="\\r\\n").writerows(csv.reader(io.StringIO(text, newline="")))
assert out.getvalue() == text, "models.csv is not csv.writer output"
print("ok")
`;
      const { stdout } = await run('python3', ['-c', script, dir]);
      expect(stdout.trim()).toBe('ok');
      // db.json is exactly what the repository's convert.py makes of models.csv.
      const expected = g.data.textRepo['db.json']!;
      await rm(join(dir, 'db.json'));
      await run('python3', [join(projectRoot(), 'fixtures', 'text', 'convert.py')], { cwd: dir });
      expect(await readFile(join(dir, 'db.json'), 'utf8')).toBe(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the built CLI against generated 1× data', () => {
  let g: GeneratedScenario;
  let s: SyncScenario;
  beforeAll(async () => {
    g = generateScenario({ scale: 1, seed: 11 });
    s = await startSyncScenario({ data: g.data });
  });
  afterAll(async () => s?.close());

  it('--dry-run --json reports exactly the known truth; cosmetic differences are not changes', async () => {
    const result = await runCli([...s.args, '--dry-run', '--json'], { env: s.env });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ReportJson;
    const seen = new Map(report.repos.flatMap((r) => r.categories.map((c) => [c.category, c] as const)));
    expect([...seen.keys()].sort()).toEqual(Object.keys(g.truth).sort());
    for (const [category, truth] of Object.entries(g.truth)) {
      const c = seen.get(category)!;
      const changed = truth.added.length + truth.removed.length + truth.modified.length > 0;
      expect({ category, status: c.status, error: c.error }).toEqual({ category, status: changed ? 'changed' : 'in-sync', error: null });
      expect(c.added, `${category} added`).toEqual(truth.added);
      expect(c.removed, `${category} removed`).toEqual(truth.removed);
      expect(c.modified, `${category} modified`).toEqual(truth.modified);
    }
    expect(report.repos.every((r) => r.pullRequest === null)).toBe(true);
    expect(s.gh.requests.filter((r) => r.kind === 'git')).toEqual([]);
  });
});
