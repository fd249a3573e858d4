import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureScenarioData, inSyncPrimary, startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import { category, pullRequestOf, syncJson } from './helpers.js';

const IMAGE_ONLY = ['--categories', 'image_generation'];

describe('GitHub faults', () => {
  let s: SyncScenario;
  beforeEach(async () => {
    s = await startSyncScenario();
  });
  afterEach(async () => {
    expect(s.gh.serverErrors).toEqual([]);
    await s.close();
  });

  it('401: says which credential failed and how to fix it', async () => {
    const result = await syncJson(s, IMAGE_ONLY, { HORDE_GITHUB_SYNC_GITHUB_TOKEN: 'ghp_fakewrongwrongwrongwrongwrongwrong0' });
    expect(result.run.code).toBe(1);
    const error = category(result, 'image_generation').error ?? '';
    expect(error).toContain('HORDE_GITHUB_SYNC_GITHUB_TOKEN (environment)');
    expect(error).toMatch(/401.*wrong, expired or revoked; create a new token/);
    expect(result.run.stderr + result.run.stdout).not.toContain('ghp_fakewrongwrong');
  });

  it('403: a read-only credential cannot push; nothing half-done is left', async () => {
    const reader = 'ghp_fakereadonlyreadonlyreadonlyreadon1';
    s.gh.addToken(reader, { login: 'reader', repos: { [`${s.owner}/${s.imageRepo}`]: 'read' } });
    const result = await syncJson(s, IMAGE_ONLY, { HORDE_GITHUB_SYNC_GITHUB_TOKEN: reader });
    expect(result.run.code).toBe(1);
    expect(category(result, 'image_generation').error).toMatch(/refused \(403\).*contents: write/);
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).toBeNull();
    expect(s.gh.pulls(s.owner, s.imageRepo)).toEqual([]);
    expect(await readdir(s.tmpDir)).toEqual([]);
  });

  it('404: a missing repository is named, with what to check', async () => {
    const args = ['--image-repo', `${s.owner}/no-such-repo`, ...IMAGE_ONLY];
    const result = await syncJson(s, args);
    expect(result.run.code).toBe(1);
    expect(category(result, 'image_generation').error).toMatch(new RegExp(`${s.owner}/no-such-repo: not found .*check the repository name`));
  });

  it('a missing base branch is named, with the default branch', async () => {
    const result = await syncJson(s, [...IMAGE_ONLY, '--base-branch', 'develop', '--dry-run']);
    expect(result.run.code).toBe(1);
    expect(category(result, 'image_generation').error).toMatch(/branch develop was not found .*--base-branch .*default branch is main/);
  });

  it('primary and secondary rate limits: waits within the bound, then succeeds', async () => {
    s.gh.injectFault({ path: `/repos/${s.owner}/${s.imageRepo}$`, type: 'rate-limit', resetIn: 1 });
    s.gh.injectFault({ path: '/pulls$', method: 'POST', type: 'secondary-rate-limit', retryAfter: 1 });
    const result = await syncJson(s, IMAGE_ONLY);
    expect(result.run.code).toBe(0);
    expect(result.run.stderr).toMatch(/primary rate limit .*waiting/);
    expect(result.run.stderr).toMatch(/secondary rate limit .*waiting/);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
  });

  it('a rate limit that resets too late fails clearly instead of hanging', async () => {
    s.gh.injectFault({ path: `/repos/${s.owner}/${s.imageRepo}$`, type: 'rate-limit', resetIn: 3600, times: Infinity });
    const result = await syncJson(s, IMAGE_ONLY);
    expect(result.run.code).toBe(1);
    expect(result.run.durationMs).toBeLessThan(20_000);
    expect(category(result, 'image_generation').error).toMatch(/rate limit was reached.*try again after \d{4}-/);
  });

  it('5xx on each GitHub call (API and git) is retried', async () => {
    for (const [path, method, kind] of [
      [`/repos/${s.owner}/${s.imageRepo}$`, 'GET', 'api'],
      ['/contents/', 'GET', 'api'],
      ['/git/ref/heads(/|%2F)', 'GET', 'api'],
      ['/pulls\\?', 'GET', 'api'],
      ['/pulls$', 'POST', 'api'],
      ['/labels$', 'POST', 'api'],
      ['/git-upload-pack', 'POST', 'git'],
      ['/git-receive-pack', 'POST', 'git'],
    ] as const) {
      s.gh.injectFault({ path, method, kind, type: 'status', status: 502 });
    }
    const result = await syncJson(s, IMAGE_ONLY);
    expect(result.run.stderr).not.toMatch(/error/i);
    expect(result.run.code).toBe(0);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
    expect(s.gh.requests.filter((r) => r.status === 502)).toHaveLength(8);
  });

  it('5xx that does not stop fails clearly, and other repositories still run', async () => {
    s.gh.injectFault({ path: `${s.imageRepo}/pulls$`, method: 'POST', type: 'status', status: 500, times: Infinity });
    const result = await syncJson(s);
    expect(result.run.code).toBe(1);
    expect(category(result, 'image_generation').error).toMatch(/opening the sync pull request .*500.*try again later/);
    expect(category(result, 'clip').status).toBe('in-sync');
    expect(pullRequestOf(result, s.textRepo)).toMatchObject({ action: 'created' });
  });

  it('protected branch (GH006) gives a clear error and exits 1', async () => {
    // A rule that protects the sync branch itself (e.g. an organisation-wide `sync/*` rule).
    await s.gh.protectBranch(s.owner, s.imageRepo, 'sync/from-primary');
    const result = await syncJson(s, IMAGE_ONLY);
    expect(result.run.code).toBe(1);
    expect(category(result, 'image_generation').error).toMatch(
      /pushing sync\/from-primary was rejected by a branch protection rule \(GH006\): exempt the sync credential/,
    );
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).toBeNull();
    expect(s.gh.pulls(s.owner, s.imageRepo)).toEqual([]);
    expect(await readdir(s.tmpDir)).toEqual([]);
  });

  it('a push race (the branch moved since it was read) is retried once from the new state', async () => {
    const setup = await syncJson(s, IMAGE_ONLY);
    expect(setup.run.code, setup.run.stderr).toBe(0);
    const first = await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary');
    // The next read of the branch misses it (as if another writer had just created it), so the
    // push's lease expects no branch and is rejected; the tool must re-read and push once more.
    s.gh.injectFault({ path: 'git/ref/heads(/|%2F)sync', method: 'GET', type: 'status', status: 404, times: 1 });
    s.primary.setCategory('controlnet', inSyncPrimary(fixtureScenarioData())['controlnet']!);
    const changed = JSON.parse(s.data.primary['image_generation']!) as Record<string, { description: string }>;
    changed['Nova Anime XL']!.description += ' (updated)';
    s.primary.setCategory('image_generation', JSON.stringify(changed, null, 2));
    const result = await syncJson(s, IMAGE_ONLY);
    expect(result.run.code, result.run.stderr).toBe(0);
    expect(result.run.stderr).toMatch(/moved while this run worked; trying once more/);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ number: 1, action: 'updated' });
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).not.toBe(first);
    expect(s.gh.pulls(s.owner, s.imageRepo)).toHaveLength(1);
  });

  it('the base branch moving between planning and the clone: plans again from the new base, fetching its files', async () => {
    // Hold the clone's first request while a maintainer commits to main by hand.
    const held = s.gh.injectFault({ path: 'info/refs\\?service=git-upload-pack', kind: 'git', type: 'delay', delayMs: 1500 });
    const running = syncJson(s, IMAGE_ONLY);
    const deadline = Date.now() + 20_000;
    while (held.hits === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(held.hits).toBe(1);
    const onMain = JSON.parse(s.data.imageRepo['stable_diffusion.json'] as string) as Record<string, unknown>;
    delete onMain['ChilloutMix']; // the maintainer removes one of the entries PRIMARY dropped
    const newBase = await s.gh.commitFiles(
      s.owner,
      s.imageRepo,
      'main',
      { 'stable_diffusion.json': JSON.stringify(onMain, null, 4) + '\n', 'NOTES.md': 'by hand\n' },
      'Remove ChilloutMix by hand',
    );
    const result = await running;
    expect(result.run.code, result.run.stderr).toBe(0);
    const report = category(result, 'image_generation');
    expect(report.removed).toEqual(['Anime Illust Diffusion XL', 'Dark Sushi Mix', 'Furry Epoch']);
    const [tip] = await s.gh.log(s.owner, s.imageRepo, 'sync/from-primary', 1);
    expect(tip?.parents).toEqual([newBase]);
    expect(await s.gh.readFile(s.owner, s.imageRepo, 'sync/from-primary', 'NOTES.md')).toBe('by hand\n');
    const written = await s.gh.readFile(s.owner, s.imageRepo, 'sync/from-primary', 'stable_diffusion.json');
    expect(JSON.parse(written ?? 'null')).toEqual(JSON.parse(s.data.primary['image_generation']!));
    expect(await readdir(s.tmpDir)).toEqual([]);
  });

  it('PR creation 422 "already exists" (a lagging list) adopts the existing pull request', async () => {
    const setup = await syncJson(s, IMAGE_ONLY);
    expect(setup.run.code, setup.run.stderr).toBe(0);
    s.gh.injectFault({ path: '/pulls\\?', method: 'GET', type: 'status', status: 200, body: [], times: 1 });
    const changed = JSON.parse(s.data.primary['image_generation']!) as Record<string, { description: string }>;
    changed['Nova Anime XL']!.description += ' (updated)';
    s.primary.setCategory('image_generation', JSON.stringify(changed, null, 2));
    const result = await syncJson(s, IMAGE_ONLY);
    expect(result.run.stderr).not.toMatch(/error/i);
    expect(result.run.code).toBe(0);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ number: 1, action: 'updated' });
    expect(s.gh.pulls(s.owner, s.imageRepo)).toHaveLength(1);
    expect(s.gh.requests.some((r) => r.method === 'POST' && r.path.endsWith('/pulls') && r.status === 422)).toBe(true);
  });

  it('a reviewer who cannot be requested is a warning, not a failure', async () => {
    const result = await syncJson(s, [...IMAGE_ONLY, '--reviewers', 'not-a-collaborator']);
    expect(result.run.code).toBe(0);
    expect(result.run.stderr).toMatch(/warning: requesting reviewers on #1/);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
  });
});
