import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureScenarioData, inSyncPrimary, startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import { pullRequestOf as prOf, syncJson } from './helpers.js';

const sync = (s: SyncScenario, extra: string[] = []) => syncJson(s, extra);

/** What a maintainer does in GitHub's web interface, through the REST API of the image repository. */
async function maintainer(s: SyncScenario, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${s.gh.apiUrl}/repos/${s.owner}/${s.imageRepo}${path}`, {
    method,
    headers: { authorization: `token ${s.token}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
}

describe('the sync pull request over its life (image repository)', () => {
  let s: SyncScenario;
  beforeEach(async () => {
    s = await startSyncScenario();
  });
  afterEach(async () => s.close());

  it('opens one labeled PR, leaves it alone on an identical re-run, updates it when drift changes, closes it when drift is gone', async () => {
    const args = ['--categories', 'image_generation,controlnet,clip', '--reviewers', 'alice', '--team-reviewers', `${s.owner}/model-reviewers`];
    s.gh.addCollaborator(s.owner, s.imageRepo, 'alice');
    s.gh.addTeam(s.owner, 'model-reviewers');

    // 1. First run: one PR, labeled, reviewers requested, touching only the changed entries.
    const first = await sync(s, args);
    expect(first.run.stderr).not.toMatch(/error/i);
    expect(first.run.code).toBe(0);
    expect(prOf(first, s.imageRepo)).toMatchObject({ number: 1, action: 'created' });
    const [pr] = s.gh.pulls(s.owner, s.imageRepo);
    expect(pr).toMatchObject({ state: 'open', head: 'sync/from-primary', base: 'main', title: 'Sync controlnet, image_generation from PRIMARY (+5 −4 ~2)' });
    expect(pr!.labels.sort()).toEqual(['automated', 'ready-for-review', 'sync']);
    expect(pr!.requestedReviewers).toEqual(['alice']);
    expect(pr!.requestedTeams).toEqual(['model-reviewers']);
    expect(pr!.body).toContain('`Nova Anime XL`');
    expect(pr!.body).toContain('npx horde-model-sync --dry-run');
    expect(pr!.body).not.toContain(s.token);
    const branchSha = await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary');
    const [commit] = await s.gh.log(s.owner, s.imageRepo, 'sync/from-primary', 1);
    expect(commit!.message).toMatch(/^Sync controlnet, image_generation from PRIMARY \(\+5 −4 ~2\)\n/);
    expect(commit!.message).toContain('Synced-by: horde-model-sync');
    expect(commit!.message).not.toContain(s.token);
    expect(first.run.secretSightings).toEqual([]);
    expect(await readdir(s.tmpDir)).toEqual([]);

    // 2. Identical drift: no commit, no new PR, no comment.
    s.gh.resetLog();
    const second = await sync(s, args);
    expect(second.run.code).toBe(0);
    expect(prOf(second, s.imageRepo)).toMatchObject({ number: 1, action: 'unchanged' });
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).toBe(branchSha);
    expect(s.gh.pulls(s.owner, s.imageRepo)).toHaveLength(1);
    expect(s.gh.comments(s.owner, s.imageRepo)).toEqual([]);
    expect(s.gh.requests.filter((r) => r.kind === 'git')).toEqual([]);
    expect(s.gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    // 3. Drift changes (PRIMARY now agrees on controlnet): same PR, updated, branch re-created.
    const data = fixtureScenarioData();
    s.primary.setCategory('controlnet', inSyncPrimary(data)['controlnet']!);
    const third = await sync(s, args);
    expect(third.run.code).toBe(0);
    expect(prOf(third, s.imageRepo)).toMatchObject({ number: 1, action: 'updated' });
    const updated = s.gh.pulls(s.owner, s.imageRepo);
    expect(updated).toHaveLength(1);
    expect(updated[0]!.title).toBe('Sync image_generation from PRIMARY (+5 −4 ~1)');
    const log = await s.gh.log(s.owner, s.imageRepo, 'sync/from-primary', 5);
    expect(log[0]!.sha).not.toBe(branchSha);
    expect(log[1]!.sha).toBe(await s.gh.branchSha(s.owner, s.imageRepo, 'main')); // one commit on the base head
    expect(await s.gh.readFile(s.owner, s.imageRepo, 'sync/from-primary', 'controlnet.json')).toBe(data.imageRepo['controlnet.json']);

    // 4. Drift gone: PR closed with a comment, branch deleted.
    s.primary.setCategory('image_generation', inSyncPrimary(data)['image_generation']!);
    const fourth = await sync(s, args);
    expect(fourth.run.code).toBe(0);
    expect(prOf(fourth, s.imageRepo)).toMatchObject({ number: 1, action: 'closed' });
    expect(s.gh.pulls(s.owner, s.imageRepo)[0]!.state).toBe('closed');
    expect(s.gh.comments(s.owner, s.imageRepo, 1).map((c) => c.body).join('\n')).toContain('agree again');
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).toBeNull();

    // 5. Nothing left to do: nothing touched.
    const fifth = await sync(s, args);
    expect(prOf(fifth, s.imageRepo)).toBeNull();

    // 6. The same drift as the pull request the tool closed comes back: proposed again (only a
    // maintainer's close holds it back).
    s.primary.setCategory('image_generation', data.primary['image_generation']!);
    const sixth = await sync(s, args);
    expect(prOf(sixth, s.imageRepo)).toMatchObject({ number: 2, action: 'created' });
    expect(s.gh.pulls(s.owner, s.imageRepo)[1]).toMatchObject({ state: 'open', title: 'Sync image_generation from PRIMARY (+5 −4 ~1)' });
    expect(s.gh.unhandledRequests).toEqual([]);
    expect(s.gh.serverErrors).toEqual([]);
  });

  it('downloads no file contents: the clone holds commit and trees only, and the push fetches no old versions', async () => {
    const result = await sync(s, ['--categories', 'image_generation,controlnet']);
    expect(result.run.code, result.run.stderr).toBe(0);
    expect(prOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
    const git = s.gh.requests.filter((q) => q.kind === 'git' && q.path.includes(`/${s.imageRepo}.git/`));
    const firstPush = git.findIndex((q) => q.gitService === 'git-receive-pack');
    expect(firstPush).toBeGreaterThan(0);
    // A lazy fetch of delta bases during the push would show up as upload-pack after receive-pack.
    expect(git.slice(firstPush).filter((q) => q.gitService === 'git-upload-pack')).toEqual([]);
    // The clone's packs together are far smaller than the two changed files (20 kB and 13 kB).
    const cloned = git.filter((q) => q.gitService === 'git-upload-pack').reduce((sum, q) => sum + q.bytesOut, 0);
    expect(cloned).toBeLessThan(4096);
    // The pushed commit is one child of the base with both files as PRIMARY has them.
    const [tip] = await s.gh.log(s.owner, s.imageRepo, 'sync/from-primary', 1);
    expect(tip?.parents).toEqual([await s.gh.branchSha(s.owner, s.imageRepo, 'main')]);
    const written = await s.gh.readFile(s.owner, s.imageRepo, 'sync/from-primary', 'controlnet.json');
    expect(JSON.parse(written ?? 'null')).toEqual(JSON.parse(s.data.primary['controlnet']!));
  });

  it("never overwrites a maintainer's commit on the sync branch: conflict, one comment, then left alone", async () => {
    const args = ['--categories', 'image_generation'];
    await sync(s, args);
    await s.gh.commitFiles(s.owner, s.imageRepo, 'sync/from-primary', { 'NOTES.md': 'fixing by hand\n' }, 'Maintainer fix', {
      name: 'Maintainer',
      email: 'maintainer@example.com',
    });
    const maintainerSha = await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary');
    s.primary.setCategory('image_generation', inSyncPrimary(fixtureScenarioData())['image_generation']!); // would close the PR

    for (let i = 0; i < 2; i++) {
      const run = await sync(s, args);
      expect(run.run.code).toBe(0);
      expect(prOf(run, s.imageRepo)).toMatchObject({ number: 1, action: 'conflict' });
    }
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).toBe(maintainerSha);
    expect(s.gh.pulls(s.owner, s.imageRepo)[0]!.state).toBe('open');
    const comments = s.gh.comments(s.owner, s.imageRepo, 1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('no longer updates or closes');
  });

  it('a pull request a maintainer closed unmerged is not proposed again for the same drift; new drift or --force proposes again', async () => {
    const args = ['--categories', 'image_generation,controlnet'];
    const first = await sync(s, args);
    expect(prOf(first, s.imageRepo)).toMatchObject({ number: 1, action: 'created' });
    // Closed without merging, and the branch deleted as GitHub offers to.
    await maintainer(s, 'PATCH', '/pulls/1', { state: 'closed' });
    await maintainer(s, 'DELETE', '/git/refs/heads/sync/from-primary');

    s.gh.resetLog();
    for (let i = 0; i < 2; i++) {
      const again = await sync(s, args);
      expect(again.run.code).toBe(0);
      expect(prOf(again, s.imageRepo)).toMatchObject({ number: 1, action: 'unchanged' });
      expect(again.run.stderr).toContain('#1 proposed exactly this drift and was closed without merging');
    }
    expect(s.gh.pulls(s.owner, s.imageRepo).map((p) => p.state)).toEqual(['closed']);
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'sync/from-primary')).toBeNull();
    expect(s.gh.comments(s.owner, s.imageRepo)).toEqual([]);
    expect(s.gh.requests.filter((r) => r.kind === 'git')).toEqual([]);
    expect(s.gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    // Different drift (PRIMARY now agrees on controlnet): a new pull request.
    s.primary.setCategory('controlnet', inSyncPrimary(fixtureScenarioData())['controlnet']!);
    const changed = await sync(s, args);
    expect(prOf(changed, s.imageRepo)).toMatchObject({ number: 2, action: 'created' });

    // Closed again, branch kept this time: held back, until --force.
    await maintainer(s, 'PATCH', '/pulls/2', { state: 'closed' });
    expect(prOf(await sync(s, args), s.imageRepo)).toMatchObject({ number: 2, action: 'unchanged' });
    const forced = await sync(s, [...args, '--force']);
    expect(prOf(forced, s.imageRepo)).toMatchObject({ number: 3, action: 'created' });
    expect(s.gh.pulls(s.owner, s.imageRepo).map((p) => p.state)).toEqual(['closed', 'closed', 'open']);
  });

  it('below --min-changes reports only; --force syncs anyway', async () => {
    const below = await sync(s, ['--categories', 'controlnet', '--min-changes', '5']);
    expect(below.run.code).toBe(0);
    expect(prOf(below, s.imageRepo)).toBeNull();
    expect(below.run.stderr).toContain('below --min-changes 5');
    expect(s.gh.pulls(s.owner, s.imageRepo)).toEqual([]);

    const forced = await sync(s, ['--categories', 'controlnet', '--min-changes', '5', '--force']);
    expect(prOf(forced, s.imageRepo)).toMatchObject({ action: 'created' });
  });
});

describe('the bytes of a file the sync reads and writes', () => {
  it('keeps a byte order mark at the start of a file it edits', async () => {
    const data = fixtureScenarioData();
    const original = data.imageRepo['controlnet.json']!;
    data.imageRepo['controlnet.json'] = `\ufeff${original}`;
    const s = await startSyncScenario({ data });
    try {
      const result = await sync(s, ['--categories', 'controlnet']);
      expect(result.run.code, result.run.stderr).toBe(0);
      expect(prOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
      const written = (await s.gh.readFile(s.owner, s.imageRepo, 'sync/from-primary', 'controlnet.json')) ?? '';
      expect(written.startsWith('\ufeff{')).toBe(true);
      expect(JSON.parse(written.slice(1))).toEqual(JSON.parse(s.data.primary['controlnet']!));
      // The first line is the same line as before, mark included.
      expect(written.split('\n')[0]).toBe(data.imageRepo['controlnet.json'].split('\n')[0]);
    } finally {
      await s.close();
    }
  });
});
