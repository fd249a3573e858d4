import { generateKeyPair } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateAppKeyPair, startFakeGitHub, type AppKeyPair, type FakeGitHub } from '../support/fake-github/index.js';
import { collectFilesContaining } from '../support/run-cli.js';
import { gitClient, quietLog, rejection, tempDir } from './helpers.js';

let gh: FakeGitHub;
let keys: AppKeyPair;
let work: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  [gh, keys, work] = await Promise.all([startFakeGitHub(), generateAppKeyPair(), tempDir('app')]);
  await gh.createRepo('app-org', 'models', { 'a.json': '{"a":1}\n' });
  await gh.createRepo('app-org', 'private', { 'a.json': '{}\n' }, { private: true });
  await gh.createRepo('app-org', 'readonly', { 'a.json': '{}\n' }, { private: true });
  gh.addApp({
    appId: 4242,
    slug: 'sync-bot',
    privateKeyPem: keys.privateKeyPem,
    installations: [
      { id: 777, repos: ['app-org/models', 'app-org/private'] },
      { id: 778, account: 'app-org', repos: ['app-org/readonly'], permissions: { contents: 'read', metadata: 'read' } },
    ],
  });
});
afterAll(async () => {
  await gh.close();
  await work.cleanup();
});
afterEach(() => {
  gh.clockSkewSec = 0;
  expect(gh.unhandledRequests).toEqual([]);
  expect(gh.serverErrors).toEqual([]);
});

const appOctokit = (warnings: string[] = []) =>
  new Octokit({
    baseUrl: gh.apiUrl,
    authStrategy: createAppAuth,
    auth: { appId: 4242, privateKey: keys.privateKeyPem },
    log: { ...quietLog, warn: (m: string) => warnings.push(m) },
  });

describe('fake GitHub: GitHub App auth', () => {
  it('authStrategy with installationId: one JWT-minted token, cached, then used for the API', async () => {
    const octokit = new Octokit({
      baseUrl: gh.apiUrl,
      authStrategy: createAppAuth,
      auth: { appId: 4242, privateKey: keys.privateKeyPem, installationId: 777 },
      log: quietLog,
    });
    const before = gh.requests.length;
    const repo = await octokit.repos.get({ owner: 'app-org', repo: 'private' });
    expect(repo.data).toMatchObject({ private: true, permissions: { push: true } });
    await octokit.repos.get({ owner: 'app-org', repo: 'models' });
    const log = gh.requests.slice(before);
    expect(log.filter((r) => r.path.endsWith('/access_tokens')).map((r) => [r.auth, r.status])).toEqual([['jwt', 201]]);
    expect(log.filter((r) => r.path.startsWith('/api/v3/repos/')).every((r) => r.auth === 'installation' && r.login === 'sync-bot[bot]')).toBe(true);
  });

  it('JWT → repository installation → ghs_ token usable for git push and a PR authored by the bot', async () => {
    const app = appOctokit();
    const { data: me } = await app.apps.getAuthenticated();
    expect(me).toMatchObject({ id: 4242, slug: 'sync-bot' });
    const { data: inst } = await app.apps.getRepoInstallation({ owner: 'app-org', repo: 'models' });
    expect(inst).toMatchObject({ id: 777, app_id: 4242, repository_selection: 'selected', account: { login: 'app-org' } });
    const { data: tok, status } = await app.apps.createInstallationAccessToken({ installation_id: inst.id });
    expect(status).toBe(201);
    expect(tok.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    const ttl = Date.parse(tok.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(59 * 60_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);

    // The token works over git as x-access-token, with the credential only in the environment.
    const dir = join(work.path, 'bot-clone');
    const git = gitClient({ baseDir: work.path, home: work.path, origin: gh.url, token: tok.token });
    await git.clone(`${gh.url}/app-org/models.git`, dir, ['--depth', '1']);
    const inRepo = git.cwd(dir);
    await inRepo.checkoutLocalBranch('sync/from-primary');
    await writeFile(join(dir, 'a.json'), '{"a":2}\n');
    await inRepo.add('a.json').commit('sync');
    await inRepo.push('origin', 'sync/from-primary');
    expect(await collectFilesContaining(work.path, tok.token)).toEqual([]);

    const bot = new Octokit({ baseUrl: gh.apiUrl, auth: tok.token, log: quietLog });
    const pr = await bot.pulls.create({ owner: 'app-org', repo: 'models', head: 'sync/from-primary', base: 'main', title: 'Sync' });
    expect(pr.data.user).toMatchObject({ login: 'sync-bot[bot]', type: 'Bot', html_url: `${gh.url}/apps/sync-bot` });
    const comment = await bot.issues.createComment({ owner: 'app-org', repo: 'models', issue_number: pr.data.number, body: 'hi' });
    expect(comment.data.performed_via_github_app).toMatchObject({ slug: 'sync-bot' });
    expect(pr.headers['github-authentication-token-expiration']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    // Expired tokens stop working for both the API and git.
    gh.expireToken(tok.token);
    expect((await rejection(bot.repos.get({ owner: 'app-org', repo: 'models' }))).status).toBe(401);
    const gitErr = await inRepo.fetch('origin').then(() => null, (e: Error) => e);
    expect(gitErr?.message).toMatch(/terminal prompts disabled|Authentication failed/);
  });

  it('recovers from server clock skew through authStrategy (auth-app reads Date and retries once)', async () => {
    for (const skew of [-300, 900]) {
      gh.clockSkewSec = skew;
      const warnings: string[] = [];
      const before = gh.requests.length;
      const { data } = await appOctokit(warnings).apps.getRepoInstallation({ owner: 'app-org', repo: 'models' });
      expect(data.id).toBe(777);
      const log = gh.requests.slice(before);
      expect(log.map((r) => [r.auth, r.authFailed, r.status])).toEqual([
        ['jwt', true, 401],
        ['jwt', false, 200],
      ]);
      expect(warnings.join('\n')).toMatch(new RegExp(`different by ${skew} seconds`));
    }
  });

  it('without authStrategy the skew error reaches the caller with the exact GitHub text', async () => {
    gh.clockSkewSec = -300;
    const auth = createAppAuth({ appId: 4242, privateKey: keys.privateKeyPem, request: new Octokit({ baseUrl: gh.apiUrl, log: quietLog }).request });
    const err = await rejection(auth({ type: 'installation', installationId: 777 }));
    expect(err.status).toBe(401);
    expect(err.message).toContain("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued");
  });

  it('rejects a JWT signed with another key, a JWT on repo endpoints, and tokens on /app', async () => {
    const other = await new Promise<string>((resolve, reject) =>
      generateKeyPair('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }, (e, _pub, priv) =>
        e ? reject(e) : resolve(priv),
      ),
    );
    const forged = new Octokit({ baseUrl: gh.apiUrl, authStrategy: createAppAuth, auth: { appId: 4242, privateKey: other }, log: quietLog });
    const bad = await rejection(forged.apps.getAuthenticated());
    expect(bad).toMatchObject({ status: 401, response: { data: { message: 'A JSON web token could not be decoded' } } });

    const { token: jwt } = (await createAppAuth({ appId: 4242, privateKey: keys.privateKeyPem })({ type: 'app' })) as { token: string };
    const withJwt = new Octokit({ baseUrl: gh.apiUrl, auth: jwt, log: quietLog });
    expect((await rejection(withJwt.repos.get({ owner: 'app-org', repo: 'models' }))).status).toBe(404);

    const app = appOctokit();
    const ro = await app.apps.createInstallationAccessToken({ installation_id: 778 });
    const reader = new Octokit({ baseUrl: gh.apiUrl, auth: ro.data.token, log: quietLog });
    expect((await reader.repos.get({ owner: 'app-org', repo: 'readonly' })).data.permissions).toMatchObject({ push: false, pull: true });
    expect((await rejection(reader.repos.get({ owner: 'app-org', repo: 'private' }))).status).toBe(404); // not in this installation
    const noPr = await rejection(reader.pulls.create({ owner: 'app-org', repo: 'readonly', head: 'main', base: 'main', title: 'x' }));
    expect(noPr).toMatchObject({ status: 403, response: { data: { message: 'Resource not accessible by integration' } } });
    const notJwt = await rejection(reader.apps.getAuthenticated());
    expect(notJwt.status).toBe(401);
    const scoped = await rejection(app.apps.createInstallationAccessToken({ installation_id: 778, permissions: { contents: 'write' } }));
    expect(scoped.status).toBe(422);
  });
});
