import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { deterministicBytes, quietLog, rejection, secret } from './helpers.js';

let gh: FakeGitHub;
const ALICE = secret();
const BOB = secret();
let alice: Octokit;
let anonymous: Octokit;

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.addToken(ALICE, { login: 'alice' });
  gh.addToken(BOB, { login: 'bob', repos: { 'api-repo/models': 'read' } });
  alice = new Octokit({ baseUrl: gh.apiUrl, auth: ALICE, log: quietLog });
  anonymous = new Octokit({ baseUrl: gh.apiUrl, log: quietLog });
});
afterAll(() => gh.close());
afterEach(() => {
  expect(gh.unhandledRequests).toEqual([]);
  expect(gh.serverErrors).toEqual([]);
});

/** A repository with `main` plus a pushed-looking branch `sync/from-primary` one commit ahead. */
async function repoWithBranch(owner: string) {
  const repo = await gh.createRepo(owner, 'models', { 'a.json': '{"a":1}\n' });
  const head = await gh.commitFiles(owner, 'models', 'sync/from-primary', { 'a.json': '{"a":2}\n' }, 'sync');
  return { ...repo, head };
}

describe('fake GitHub REST API through Octokit', () => {
  it('GET /repos: clone_url, permissions per caller, private repos hidden, realistic headers', async () => {
    await gh.createRepo('api-repo', 'models', { 'a.json': '{}\n' }, { description: 'refs' });
    await gh.createRepo('api-repo', 'secret', { 'a.json': '{}\n' }, { private: true });

    const own = await alice.repos.get({ owner: 'api-repo', repo: 'models' });
    expect(own.data).toMatchObject({
      full_name: 'api-repo/models',
      clone_url: `${gh.url}/api-repo/models.git`,
      default_branch: 'main',
      private: false,
      permissions: { admin: true, push: true, pull: true },
    });
    expect(own.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(own.headers['x-ratelimit-limit']).toBe('5000');
    expect(own.headers['x-ratelimit-resource']).toBe('core');
    expect(own.headers['x-github-request-id']).toMatch(/^[0-9A-F]+(:[0-9A-F]+){4}$/);
    expect(Date.parse(String(own.headers.date))).not.toBeNaN();
    const again = await alice.repos.get({ owner: 'API-REPO', repo: 'Models' }); // names are case-insensitive
    expect(Number(again.headers['x-ratelimit-remaining'])).toBe(Number(own.headers['x-ratelimit-remaining']) - 1);

    const readOnly = await new Octokit({ baseUrl: gh.apiUrl, auth: BOB, log: quietLog }).repos.get({ owner: 'api-repo', repo: 'models' });
    expect(readOnly.data.permissions).toMatchObject({ admin: false, push: false, pull: true });
    const anon = await anonymous.repos.get({ owner: 'api-repo', repo: 'models' });
    expect(anon.data.permissions).toBeUndefined();
    expect(anon.headers['x-ratelimit-limit']).toBe('60');

    expect((await rejection(anonymous.repos.get({ owner: 'api-repo', repo: 'secret' }))).status).toBe(404);
    expect((await rejection(new Octokit({ baseUrl: gh.apiUrl, auth: BOB, log: quietLog }).repos.get({ owner: 'api-repo', repo: 'secret' }))).status).toBe(404);
    const bad = await rejection(new Octokit({ baseUrl: gh.apiUrl, auth: secret(), log: quietLog }).repos.get({ owner: 'api-repo', repo: 'models' }));
    expect(bad).toMatchObject({ status: 401, response: { data: { message: 'Bad credentials' } } });
  });

  it('GET contents: base64 wrapped at 60, raw bytes as a string, >1 MB without content, 404 texts', async () => {
    const json = `{\r\n\t"name": "caf\\u00e9",\r\n\t"pad": "${'x'.repeat(100)}"\r\n}\r\n`;
    const big = deterministicBytes(1024 * 1024 + 10).toString('base64').slice(0, 1024 * 1024 + 10);
    await gh.createRepo('api-contents', 'models', { 'data/a.json': json, 'big.json': big });
    await gh.commitFiles('api-contents', 'models', 'sync/x', { 'data/a.json': '{}\n' }, 'branch');

    const file = await alice.repos.getContent({ owner: 'api-contents', repo: 'models', path: 'data/a.json' });
    if (Array.isArray(file.data) || file.data.type !== 'file') throw new Error('expected a file');
    expect(file.data.encoding).toBe('base64');
    const lines = file.data.content.split('\n');
    expect(lines.slice(0, -2).every((l) => l.length === 60)).toBe(true);
    expect(file.data.content.endsWith('\n')).toBe(true);
    expect(Buffer.from(file.data.content, 'base64').toString('utf8')).toBe(json);
    expect(file.data.size).toBe(Buffer.byteLength(json));

    const raw = await alice.repos.getContent({ owner: 'api-contents', repo: 'models', path: 'data/a.json', mediaType: { format: 'raw' } });
    expect(raw.headers['content-type']).toBe('application/vnd.github.v3.raw; charset=utf-8');
    expect(raw.data as unknown).toBe(json); // CRLF and escapes untouched

    const onBranch = await alice.repos.getContent({ owner: 'api-contents', repo: 'models', path: 'data/a.json', ref: 'sync/x', mediaType: { format: 'raw' } });
    expect(onBranch.data as unknown).toBe('{}\n');

    const large = await alice.repos.getContent({ owner: 'api-contents', repo: 'models', path: 'big.json' });
    expect(large.data).toMatchObject({ encoding: 'none', content: '', size: big.length });
    const largeRaw = await alice.repos.getContent({ owner: 'api-contents', repo: 'models', path: 'big.json', mediaType: { format: 'raw' } });
    expect((largeRaw.data as unknown as string).length).toBe(big.length);

    const dir = await alice.repos.getContent({ owner: 'api-contents', repo: 'models', path: '' });
    expect(Array.isArray(dir.data) && dir.data.map((e) => `${e.type}:${e.path}`).sort()).toEqual(['dir:data', 'file:big.json']);

    const noRef = await rejection(alice.repos.getContent({ owner: 'api-contents', repo: 'models', path: 'data/a.json', ref: 'nope' }));
    expect(noRef).toMatchObject({ status: 404, response: { data: { message: 'No commit found for the ref nope' } } });
    const noFile = await rejection(alice.repos.getContent({ owner: 'api-contents', repo: 'models', path: 'data/zzz.json' }));
    expect(noFile).toMatchObject({ status: 404, response: { data: { message: 'Not Found' } } });
  });

  it('pulls: create (201, refs/pull/N/head), 422 texts, list by owner:branch only, update and head refresh', async () => {
    const repo = await repoWithBranch('api-pulls');
    const created = await alice.pulls.create({ owner: 'api-pulls', repo: 'models', head: 'sync/from-primary', base: 'main', title: 'Sync', body: 'b1' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`${gh.apiUrl}/repos/api-pulls/models/pulls/1`);
    expect(created.data).toMatchObject({ number: 1, state: 'open', user: { login: 'alice' }, head: { ref: 'sync/from-primary', sha: repo.head }, base: { ref: 'main', sha: repo.headSha }, commits: 1 });
    expect(created.data.html_url).toBe(`${gh.url}/api-pulls/models/pull/1`);
    expect(await gh.readFile('api-pulls', 'models', 'refs/pull/1/head', 'a.json')).toBe('{"a":2}\n');

    const dup = await rejection(alice.pulls.create({ owner: 'api-pulls', repo: 'models', head: 'api-pulls:sync/from-primary', base: 'main', title: 'again' }));
    expect(dup.status).toBe(422);
    expect(dup.response?.data).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for api-pulls:sync/from-primary.' }] });

    await gh.commitFiles('api-pulls', 'models', 'other-branch', {}, 'empty');
    await gh.commitFiles('api-pulls', 'models', 'main', { 'a.json': '{"a":1}\n', 'z.json': '{}\n' }, 'base moves');
    const noDiff = await rejection(alice.pulls.create({ owner: 'api-pulls', repo: 'models', head: 'main', base: 'main', title: 'x' }));
    expect(noDiff.response?.data).toMatchObject({ errors: [{ code: 'custom', message: 'No commits between main and main' }] });
    const missing = await rejection(alice.pulls.create({ owner: 'api-pulls', repo: 'models', head: 'does-not-exist', base: 'main', title: 'x' }));
    expect(missing.response?.data).toMatchObject({ errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });

    await alice.pulls.create({ owner: 'api-pulls', repo: 'models', head: 'other-branch', base: 'main', title: 'other' });
    const byHead = await alice.pulls.list({ owner: 'api-pulls', repo: 'models', head: 'api-pulls:sync/from-primary', state: 'open' });
    expect(byHead.data.map((p) => p.number)).toEqual([1]);
    const bareHead = await alice.pulls.list({ owner: 'api-pulls', repo: 'models', head: 'sync/from-primary' });
    expect(bareHead.data.map((p) => p.number)).toEqual([2, 1]); // bare branch ignored; newest first
    const paged = await alice.pulls.list({ owner: 'api-pulls', repo: 'models', per_page: 1 });
    expect(paged.headers.link).toContain('rel="next"');
    expect((await alice.paginate(alice.pulls.list, { owner: 'api-pulls', repo: 'models', per_page: 1 })).length).toBe(2);

    const moved = await gh.commitFiles('api-pulls', 'models', 'sync/from-primary', { 'a.json': '{"a":3}\n' }, 'second sync');
    const updated = await alice.pulls.update({ owner: 'api-pulls', repo: 'models', pull_number: 1, title: 'Sync 2', body: 'b2' });
    expect(updated.data).toMatchObject({ title: 'Sync 2', body: 'b2', head: { sha: moved } });
    const tooLong = await rejection(alice.pulls.update({ owner: 'api-pulls', repo: 'models', pull_number: 1, body: 'x'.repeat(65537) }));
    expect(tooLong.response?.data).toMatchObject({ errors: [{ field: 'body', message: 'body is too long (maximum is 65536 characters)' }] });
    await alice.pulls.update({ owner: 'api-pulls', repo: 'models', pull_number: 1, state: 'closed' });
    expect((await alice.pulls.list({ owner: 'api-pulls', repo: 'models', head: 'api-pulls:sync/from-primary' })).data).toEqual([]);
    expect(gh.pulls('api-pulls', 'models')[0]).toMatchObject({ number: 1, state: 'closed', title: 'Sync 2', body: 'b2', headSha: moved });
  });

  it('labels: auto-created grey on a PR, 422 already_exists, set replaces', async () => {
    await repoWithBranch('api-labels');
    await alice.pulls.create({ owner: 'api-labels', repo: 'models', head: 'sync/from-primary', base: 'main', title: 'Sync' });
    const added = await alice.issues.addLabels({ owner: 'api-labels', repo: 'models', issue_number: 1, labels: ['automated', 'sync', 'bug'] });
    expect(added.data.map((l) => l.name)).toEqual(['automated', 'sync', 'bug']);
    expect(added.data[0]).toMatchObject({ name: 'automated', color: 'ededed', description: null, default: false });
    expect(added.data[2]).toMatchObject({ name: 'bug', color: 'd73a4a', default: true });

    const exists = await rejection(alice.issues.createLabel({ owner: 'api-labels', repo: 'models', name: 'Automated', color: '00ff00' }));
    expect(exists.response?.data).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] });
    const made = await alice.issues.createLabel({ owner: 'api-labels', repo: 'models', name: 'ready-for-review', color: '#0E8A16', description: 'go' });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({ color: '0e8a16', description: 'go' });

    await alice.issues.setLabels({ owner: 'api-labels', repo: 'models', issue_number: 1, labels: ['ready-for-review'] });
    const now = await alice.issues.listLabelsOnIssue({ owner: 'api-labels', repo: 'models', issue_number: 1 });
    expect(now.data.map((l) => l.name)).toEqual(['ready-for-review']);
    expect(gh.pulls('api-labels', 'models')[0]?.labels).toEqual(['ready-for-review']);
    expect(gh.labels('api-labels', 'models').map((l) => l.name)).toContain('automated');
  });

  it('requested reviewers: 422 for the author and for non-collaborators, teams by slug', async () => {
    await repoWithBranch('api-review');
    gh.addCollaborator('api-review', 'models', 'carol');
    gh.addUser('mallory');
    gh.addTeam('api-review', 'maintainers');
    await alice.pulls.create({ owner: 'api-review', repo: 'models', head: 'sync/from-primary', base: 'main', title: 'Sync' });

    const self = await rejection(alice.pulls.requestReviewers({ owner: 'api-review', repo: 'models', pull_number: 1, reviewers: ['alice'] }));
    expect(self).toMatchObject({ status: 422, response: { data: { message: 'Review cannot be requested from pull request author.' } } });
    const stranger = await rejection(alice.pulls.requestReviewers({ owner: 'api-review', repo: 'models', pull_number: 1, reviewers: ['mallory'] }));
    expect(stranger.response?.data).toMatchObject({ message: expect.stringContaining('Reviews may only be requested from collaborators') });
    const noTeam = await rejection(alice.pulls.requestReviewers({ owner: 'api-review', repo: 'models', pull_number: 1, team_reviewers: ['ghosts'] }));
    expect(noTeam.status).toBe(422);

    const ok = await alice.pulls.requestReviewers({ owner: 'api-review', repo: 'models', pull_number: 1, reviewers: ['carol'], team_reviewers: ['maintainers'] });
    expect(ok.status).toBe(201);
    expect(ok.data.requested_reviewers?.map((u) => u.login)).toEqual(['carol']);
    expect(ok.data.requested_teams?.map((t) => t.slug)).toEqual(['maintainers']);
    expect(gh.pulls('api-review', 'models')[0]).toMatchObject({ requestedReviewers: ['carol'], requestedTeams: ['maintainers'] });
  });

  it('comments, then deleting the head ref closes the PR and really removes the branch', async () => {
    await repoWithBranch('api-close');
    await alice.pulls.create({ owner: 'api-close', repo: 'models', head: 'sync/from-primary', base: 'main', title: 'Sync' });
    const c = await alice.issues.createComment({ owner: 'api-close', repo: 'models', issue_number: 1, body: 'No drift any more; closing.' });
    expect(c.status).toBe(201);
    expect(c.data).toMatchObject({ body: 'No drift any more; closing.', user: { login: 'alice' }, author_association: 'COLLABORATOR' });
    const listed = await alice.issues.listComments({ owner: 'api-close', repo: 'models', issue_number: 1 });
    expect(listed.data.map((x) => x.body)).toEqual(['No drift any more; closing.']);

    const ref = await alice.git.getRef({ owner: 'api-close', repo: 'models', ref: 'heads/sync/from-primary' });
    expect(ref.data).toMatchObject({ ref: 'refs/heads/sync/from-primary', object: { type: 'commit' } });
    const del = await alice.git.deleteRef({ owner: 'api-close', repo: 'models', ref: 'heads/sync/from-primary' });
    expect(del.status).toBe(204);
    expect(await gh.branchSha('api-close', 'models', 'sync/from-primary')).toBeNull();
    expect(gh.pulls('api-close', 'models')[0]).toMatchObject({ state: 'closed', comments: [{ body: 'No drift any more; closing.', user: 'alice' }] });

    const again = await rejection(alice.git.deleteRef({ owner: 'api-close', repo: 'models', ref: 'heads/sync/from-primary' }));
    expect(again).toMatchObject({ status: 422, response: { data: { message: 'Reference does not exist' } } });
    expect((await rejection(alice.git.getRef({ owner: 'api-close', repo: 'models', ref: 'heads/sync/from-primary' }))).status).toBe(404);
    const branch = await rejection(alice.repos.getBranch({ owner: 'api-close', repo: 'models', branch: 'sync/from-primary' }));
    expect(branch).toMatchObject({ status: 404, response: { data: { message: 'Branch not found' } } });
    const main = await alice.repos.getBranch({ owner: 'api-close', repo: 'models', branch: 'main' });
    expect(main.data).toMatchObject({ name: 'main', protected: false, commit: { commit: { message: 'Initial commit' } } });
  });

  it('GET /user, /rate_limit (not counted), an unknown route (404, recorded), and a log without secrets', async () => {
    const me = await alice.users.getAuthenticated();
    expect(me.data).toMatchObject({ login: 'alice', type: 'User' });
    expect(me.headers['x-oauth-scopes']).toBeDefined();
    const r1 = await alice.rateLimit.get();
    const r2 = await alice.rateLimit.get();
    expect(r2.data.resources.core.remaining).toBe(r1.data.resources.core.remaining);
    expect((await rejection(anonymous.users.getAuthenticated())).status).toBe(401);

    const before = gh.unhandledRequests.length;
    const miss = await rejection(alice.request('GET /repos/{owner}/{repo}/deployments', { owner: 'x', repo: 'y' }));
    expect(miss.status).toBe(404);
    expect((miss.response?.data as { message: string }).message).toMatch(/^fake-github: no route for GET \/api\/v3\/repos\/x\/y\/deployments/);
    expect(gh.unhandledRequests.slice(before)).toEqual([{ method: 'GET', path: '/api/v3/repos/x/y/deployments', kind: 'api' }]);
    gh.resetLog();
    expect(gh.unhandledRequests).toEqual([]);

    await alice.repos.get({ owner: 'api-repo', repo: 'models' });
    expect(gh.requests.at(-1)).toMatchObject({ kind: 'api', auth: 'token', login: 'alice', status: 200 });
    const state = await (await fetch(`${gh.url}/_admin/state`)).text();
    expect(state).toContain('api-repo/models');
    for (const s of [ALICE, BOB]) {
      expect(JSON.stringify(gh.requests)).not.toContain(s);
      expect(state).not.toContain(s);
    }
  });
});
