import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { fixtureScenarioData, startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import type { ReportJson } from './helpers.js';

describe('dry run against the loopback fakes (fixtures/sync)', () => {
  let s: SyncScenario;
  beforeAll(async () => {
    s = await startSyncScenario();
  });
  afterAll(async () => s.close());

  it('reports the drift per repository and category, and writes nothing', async () => {
    const run = await runCli([...s.args, '--dry-run', '--json'], { env: s.env });
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(report.dryRun).toBe(true);
    expect(report.repos.map((r) => r.repo)).toEqual([`${s.owner}/${s.imageRepo}`, `${s.owner}/${s.textRepo}`]);
    const [image, text] = report.repos;
    const byName = new Map(image!.categories.map((c) => [c.category, c]));
    expect(byName.get('image_generation')).toEqual({
      category: 'image_generation',
      files: ['stable_diffusion.json'],
      status: 'changed',
      added: ['Nova Flat XL', 'Nova Furry XL', 'PerfectDeliberate', 'Rag Illustrious Mix', 'Ri-Mix'],
      removed: ['Anime Illust Diffusion XL', 'ChilloutMix', 'Dark Sushi Mix', 'Furry Epoch'],
      modified: ['Nova Anime XL'],
      error: null,
    });
    expect(byName.get('controlnet')?.status).toBe('changed');
    expect(byName.get('controlnet')?.modified).toHaveLength(1);
    for (const name of ['blip', 'clip', 'codeformer', 'esrgan', 'gfpgan', 'miscellaneous', 'safety_checker']) {
      expect(byName.get(name)).toMatchObject({ status: 'in-sync', added: [], removed: [], modified: [], error: null });
    }
    const tg = text!.categories[0]!;
    expect(tg).toMatchObject({ category: 'text_generation', files: ['models.csv', 'db.json'], status: 'changed' });
    expect(tg.added).toHaveLength(9);
    expect(tg.removed).toEqual([]);
    expect(tg.modified).toHaveLength(15);
    expect(tg.modified).toContain('koboldcpp/gemma-4-31B-it');
    expect(report.repos.every((r) => r.pullRequest === null)).toBe(true);

    // Nothing cloned, pushed or opened.
    expect(s.gh.requests.filter((r) => r.kind === 'git')).toEqual([]);
    expect(s.gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(s.gh.pulls(s.owner, s.imageRepo)).toEqual([]);
    expect(await readdir(s.tmpDir)).toEqual([]);
    expect(s.gh.unhandledRequests).toEqual([]);
  });

  it('prints a readable summary on stderr, field paths and the diff with --verbose', async () => {
    const run = await runCli([...s.args, '--dry-run', '--verbose', '--categories', 'image_generation,controlnet'], { env: s.env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('image_generation (stable_diffusion.json): +5 −4 ~1');
    expect(run.stderr).toMatch(/Nova Anime XL: .*config/);
    expect(run.stderr).toContain('--- a/controlnet.json');
    expect(run.stderr).toContain('?revision=2');
    expect(run.stderr).toContain('dry run: nothing was cloned, pushed or opened');
    // No colour codes when stderr is not a terminal.
    expect(run.stderr).not.toMatch(/\u001b\[/);
  });

  it('needs no credential for public repositories', async () => {
    const { HORDE_GITHUB_SYNC_GITHUB_TOKEN: _token, ...env } = s.env;
    const run = await runCli([...s.args, '--dry-run', '--json', '--categories', 'clip'], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).repos[0].categories[0].status).toBe('in-sync');
  });

  it('skips a category PRIMARY answers 404 for, and retries a 500 before succeeding', async () => {
    s.primary.setCategory('blip', undefined);
    s.primary.enqueue('clip', { status: 500 }, { status: 502 });
    try {
      const run = await runCli([...s.args, '--dry-run', '--json', '--categories', 'blip,clip,codeformer'], { env: s.env });
      expect(run.code).toBe(0);
      const categories = (JSON.parse(run.stdout) as ReportJson).repos[0]!.categories;
      expect(categories.find((c) => c.category === 'blip')).toMatchObject({ status: 'skipped', removed: [] });
      expect(categories.find((c) => c.category === 'blip')?.error).toContain('404');
      expect(categories.find((c) => c.category === 'clip')).toMatchObject({ status: 'in-sync', error: null });
      const clipRequests = s.primary.requests.filter((r) => r.category === 'clip').map((r) => r.status);
      expect(clipRequests.slice(-3)).toEqual([500, 502, 200]);
    } finally {
      s.primary.setCategory('blip', fixtureScenarioData().primary['blip']!);
    }
  });
});
