import { createServer } from 'node:net';
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import { category, pullRequestOf, syncJson } from './helpers.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('PRIMARY faults: a failing category is reported and never removes entries', () => {
  let s: SyncScenario;
  beforeEach(async () => {
    s = await startSyncScenario();
  });
  afterEach(async () => s.close());

  it('each broken body fails its own category; the good one still syncs; nothing of the broken ones is written', async () => {
    // Each small image category gets a different broken answer; image_generation stays good (with drift).
    s.primary.enqueue('blip', { status: 200, body: 'this is not JSON' });
    s.primary.enqueue('clip', { status: 200, body: '[{"name": "x"}]' });
    s.primary.enqueue('codeformer', { status: 200, body: '{"CodeFormers": "not an object"}' });
    s.primary.enqueue('esrgan', { status: 200, body: '{}' });
    s.primary.enqueue('gfpgan', { status: 200, body: '' });
    // A cut-off body is retried like any network fault; four in a row make the category fail.
    s.primary.enqueue('miscellaneous', ...Array.from({ length: 4 }, () => ({ truncateAfterBytes: 200 })));
    s.primary.enqueue('safety_checker', { status: 500 }, { status: 500 }, { status: 503 }, { status: 500 });
    s.primary.enqueue('controlnet', { status: 422, body: '{"detail": "unknown category"}' });

    const result = await syncJson(s);
    expect(result.run.code).toBe(1);
    const url = (name: string) => `${s.primary.url}/model_references/v1/${name}`;
    const expectations: [string, RegExp][] = [
      ['blip', /not valid JSON/],
      ['clip', /is an array/],
      ['codeformer', /not an object of objects/],
      ['esrgan', /no entries for esrgan .* refusing to remove them/],
      ['gfpgan', /empty document|no entries/],
      ['miscellaneous', /did not answer for miscellaneous .*\((connection reset|the body was cut short|other side closed)/],
      ['safety_checker', /did not answer .*HTTP 500.*4 attempts/],
      ['controlnet', /does not know the category controlnet \(422/],
    ];
    for (const [name, pattern] of expectations) {
      const c = category(result, name);
      expect(c.status, name).toBe('error');
      expect(c.error, name).toMatch(pattern);
      expect(c.error, name).toContain(name);
      expect(c.error, name).toContain(url(name));
      expect(c.removed, name).toEqual([]);
    }
    // Retries are bounded: exactly four attempts for the 5xx category.
    expect(s.primary.requests.filter((r) => r.category === 'safety_checker')).toHaveLength(4);

    // The good category synced: the PR carries stable_diffusion.json only.
    expect(category(result, 'image_generation').status).toBe('changed');
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
    for (const name of ['blip', 'clip', 'codeformer', 'esrgan', 'gfpgan', 'miscellaneous', 'safety_checker', 'controlnet']) {
      expect(await s.gh.readFile(s.owner, s.imageRepo, 'sync/from-primary', `${name}.json`), name).toBe(s.data.imageRepo[`${name}.json`]);
    }
    expect(await s.gh.readFile(s.owner, s.imageRepo, 'sync/from-primary', 'stable_diffusion.json')).not.toBe(s.data.imageRepo['stable_diffusion.json']);
    // The text repository was processed too.
    expect(category(result, 'text_generation').status).toBe('changed');
    expect(await readdir(s.tmpDir)).toEqual([]);
  });

  it('a 50 MB body that is not entries is refused with a clear error, memory bounded', async () => {
    const huge = '[' + '"padding-padding-padding-padding",'.repeat(1_500_000) + '"end"]';
    expect(huge.length).toBeGreaterThan(50_000_000);
    s.primary.enqueue('image_generation', { status: 200, body: huge });
    const result = await syncJson(s, ['--dry-run', '--categories', 'image_generation,clip']);
    expect(result.run.code).toBe(1);
    expect(category(result, 'image_generation').error).toMatch(/is an array/);
    expect(category(result, 'clip').status).toBe('in-sync');
  });

  it('a timeout names the category and the URL', async () => {
    s.primary.enqueue('blip', { hangMs: 4000 }, { hangMs: 4000 }, { hangMs: 4000 }, { hangMs: 4000 });
    const result = await syncJson(s, ['--dry-run', '--categories', 'blip,clip'], { HORDE_GITHUB_SYNC_HTTP_TIMEOUT_SECONDS: '1' });
    expect(result.run.code).toBe(1);
    expect(category(result, 'blip').error).toMatch(/did not answer for blip at .*blip \(no answer within 1 s, 4 attempts\)/);
    expect(category(result, 'clip').status).toBe('in-sync');
  });

  it('connection refused fails every category clearly and exits 1', async () => {
    const port = await closedPort();
    const args = s.args.map((a) => (a === s.primary.url ? `http://127.0.0.1:${port}/api` : a));
    const result = await syncJson({ ...s, args }, ['--dry-run', '--categories', 'clip,text_generation']);
    expect(result.run.code).toBe(1);
    for (const name of ['clip', 'text_generation']) {
      expect(category(result, name).error).toContain(`http://127.0.0.1:${port}/api/model_references/v1/${name}`);
      expect(category(result, name).error).toContain('connection refused');
    }
  });
});

describe('mass-removal guard', () => {
  let s: SyncScenario;
  beforeEach(async () => {
    s = await startSyncScenario();
  });
  afterEach(async () => s.close());

  it('refuses to remove more than half of a file unless --force, saying how many and how to override', async () => {
    const all = JSON.parse(s.data.primary['image_generation']!) as Record<string, unknown>;
    const few = Object.fromEntries(Object.entries(all).slice(0, 3));
    s.primary.setCategory('image_generation', JSON.stringify(few, null, 2));
    const refused = await syncJson(s, ['--categories', 'image_generation']);
    expect(refused.run.code).toBe(1);
    const c = category(refused, 'image_generation');
    expect(c.status).toBe('error');
    expect(c.error).toMatch(/would remove 1[0-9] of the 15 entries in stable_diffusion\.json \(more than half\); refused\. .*--force/);
    expect(pullRequestOf(refused, s.imageRepo)).toBeNull();
    expect(s.gh.pulls(s.owner, s.imageRepo)).toEqual([]);

    const forced = await syncJson(s, ['--categories', 'image_generation', '--force']);
    expect(forced.run.code).toBe(0);
    expect(category(forced, 'image_generation').removed.length).toBeGreaterThan(7);
    expect(pullRequestOf(forced, s.imageRepo)).toMatchObject({ action: 'created' });
  });
});
