import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { collectFilesContaining } from '../support/run-cli.js';
import { deterministicBytes, gitClient, secret, tempDir } from './helpers.js';

let gh: FakeGitHub;
let work: { path: string; cleanup: () => Promise<void> };
const WRITE = secret();
const READ = secret();

beforeAll(async () => {
  gh = await startFakeGitHub();
  work = await tempDir('git');
  gh.addToken(WRITE, { login: 'alice', repos: { 'git-clone/models': 'write', 'git-protect/models': 'admin', 'git-private/models': 'write' } });
  gh.addToken(READ, { login: 'bob', repos: { 'git-readonly/models': 'read' } });
});
afterAll(async () => {
  await gh.close();
  await work.cleanup();
});

const client = (dir: string, token?: string) => gitClient({ baseDir: work.path, home: work.path, origin: gh.url, token }).cwd(dir);

describe('fake GitHub: git smart HTTP', () => {
  it('serves a depth-1 blobless sparse clone, then accepts a commit pushed to a new branch', async () => {
    const repo = await gh.createRepo('git-clone', 'models', {
      'README.md': '# models\n',
      'data/a.json': '{\n  "a": 1\n}\n',
      'data/b.json': '{\n  "b": 2\n}\n',
      'assets/blob.bin': deterministicBytes(2 * 1024 * 1024),
    });
    const dir = join(work.path, 'clone');
    const git = gitClient({ baseDir: work.path, home: work.path, origin: gh.url, token: WRITE });
    await git.clone(repo.cloneUrl, dir, ['--depth', '1', '--filter=blob:none', '--sparse', '--no-checkout']);
    const inRepo = git.cwd(dir);
    await inRepo.raw(['sparse-checkout', 'set', '--no-cone', '/data/*.json']);
    await inRepo.checkout('main');

    expect(await readFile(join(dir, 'data/a.json'), 'utf8')).toBe('{\n  "a": 1\n}\n');
    expect(existsSync(join(dir, 'assets/blob.bin'))).toBe(false);
    const fetched = gh.requests.filter((r) => r.gitService === 'git-upload-pack').reduce((n, r) => n + r.bytesOut, 0);
    expect(fetched).toBeGreaterThan(0);
    expect(fetched).toBeLessThan(64 * 1024); // the 2 MB blob never crossed the wire

    await inRepo.checkoutLocalBranch('sync/from-primary');
    await writeFile(join(dir, 'data/a.json'), '{\n  "a": 2\n}\n');
    await inRepo.add('data/a.json');
    await inRepo.commit('sync: update a');
    await inRepo.push('origin', 'sync/from-primary');

    expect(await gh.readFile('git-clone', 'models', 'sync/from-primary', 'data/a.json')).toBe('{\n  "a": 2\n}\n');
    const [tip] = await gh.log('git-clone', 'models', 'sync/from-primary', 1);
    expect(tip).toMatchObject({ message: 'sync: update a', author: { name: 'Sync Bot', email: 'sync-bot@example.com' } });
    expect(await gh.branchSha('git-clone', 'models', 'main')).toBe(repo.headSha);
    const push = gh.requests.filter((r) => r.gitService === 'git-receive-pack');
    expect(push.length).toBeGreaterThan(0);
    expect(push.every((r) => r.authenticated && r.auth === 'token' && r.login === 'alice')).toBe(true);
    // GIT_CONFIG_* kept the token out of the clone and every other file.
    expect(await collectFilesContaining(work.path, WRITE)).toEqual([]);
    expect(JSON.stringify(gh.requests)).not.toContain(WRITE);
  });

  it('refuses a push with a read-only token with GitHub\'s 403 text', async () => {
    const repo = await gh.createRepo('git-readonly', 'models', { 'a.json': '{}\n' });
    const dir = join(work.path, 'readonly');
    await client(work.path, READ).clone(repo.cloneUrl, dir, ['--depth', '1']);
    const git = client(dir, READ);
    await writeFile(join(dir, 'a.json'), '{"x":1}\n');
    await git.add('a.json').commit('change');
    const err = await git.push('origin', 'HEAD:refs/heads/feature').then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toContain('Permission to git-readonly/models.git denied to bob.');
    expect(err?.message).toContain('403');
    expect(err?.message).not.toContain(READ);
    expect(await gh.branchSha('git-readonly', 'models', 'feature')).toBeNull();
  });

  it('rejects a push to a protected branch with GH006', async () => {
    const repo = await gh.createRepo('git-protect', 'models', { 'a.json': '{}\n' });
    await gh.protectBranch('git-protect', 'models', 'main');
    const dir = join(work.path, 'protect');
    await client(work.path, WRITE).clone(repo.cloneUrl, dir, ['--depth', '1']);
    const git = client(dir, WRITE);
    await writeFile(join(dir, 'a.json'), '{"x":1}\n');
    await git.add('a.json').commit('change');
    const err = await git.push('origin', 'main').then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toContain('GH006: Protected branch update failed for refs/heads/main.');
    expect(err?.message).toContain('pre-receive hook declined');
    expect(await gh.branchSha('git-protect', 'models', 'main')).toBe(repo.headSha);
    // Other branches stay writable.
    await git.push('origin', 'HEAD:refs/heads/sync/from-primary');
    expect(await gh.branchSha('git-protect', 'models', 'sync/from-primary')).not.toBeNull();
  });

  it('fails fast with 401 and no prompt when credentials are missing', async () => {
    const pub = await gh.createRepo('git-anon', 'models', { 'a.json': '{}\n' });
    const priv = await gh.createRepo('git-private', 'models', { 'a.json': '{}\n' }, { private: true });
    // An anonymous fetch of a public repository works, as on github.com.
    const dir = join(work.path, 'anon');
    await client(work.path).clone(pub.cloneUrl, dir, ['--depth', '1']);
    const git = client(dir);
    await writeFile(join(dir, 'a.json'), '{"x":1}\n');
    await git.add('a.json').commit('change');
    const pushErr = await git.push('origin', 'HEAD:refs/heads/x').then(() => null, (e: Error) => e);
    expect(pushErr?.message).toMatch(/terminal prompts disabled|Authentication failed/);
    const cloneErr = await client(work.path)
      .clone(priv.cloneUrl, join(work.path, 'private-anon'))
      .then(() => null, (e: Error) => e);
    expect(cloneErr?.message).toMatch(/terminal prompts disabled|Authentication failed/);
    const denied = gh.requests.filter((r) => r.kind === 'git' && r.status === 401);
    expect(denied.length).toBeGreaterThanOrEqual(2);
    // A wrong token is a 401 too (git, holding only an extra header, then asks for a password and
    // gives up), and the fake logs it as a rejected credential without keeping the token.
    const badToken = secret();
    const badErr = await client(work.path, badToken)
      .clone(priv.cloneUrl, join(work.path, 'private-bad'))
      .then(() => null, (e: Error) => e);
    expect(badErr?.message).toMatch(/terminal prompts disabled|Authentication failed/);
    expect(badErr?.message).not.toContain(badToken);
    expect(gh.requests.some((r) => r.kind === 'git' && r.authFailed && r.status === 401)).toBe(true);
    expect(JSON.stringify(gh.requests)).not.toContain(badToken);
    // A valid token without access to a private repository gets "not found", not "forbidden".
    const noAccess = await client(work.path, READ)
      .clone(priv.cloneUrl, join(work.path, 'private-bob'))
      .then(() => null, (e: Error) => e);
    expect(noAccess?.message).toContain('Repository not found.');
  });

  it('builds fixture repositories reproducibly and records maintainer commits', async () => {
    const files = { 'x.json': '{"x":1}\n', 'dir/y.csv': 'a,b\r\n1,2\r\n' };
    const a = await gh.createRepo('git-repro-a', 'models', files);
    const b = await gh.createRepo('git-repro-b', 'models', files);
    expect(a.headSha).toBe(b.headSha);
    const sha = await gh.commitFiles('git-repro-a', 'models', 'sync/from-primary', { 'x.json': '{"x":2}\n', 'dir/y.csv': null }, 'maintainer fix', {
      name: 'Jane Maintainer',
      email: 'jane@example.com',
    });
    expect(await gh.branchSha('git-repro-a', 'models', 'sync/from-primary')).toBe(sha);
    expect(await gh.listBranches('git-repro-a', 'models')).toEqual(['main', 'sync/from-primary']);
    const [tip, base] = await gh.log('git-repro-a', 'models', 'sync/from-primary');
    expect(tip).toMatchObject({ sha, parents: [a.headSha], message: 'maintainer fix', author: { name: 'Jane Maintainer', email: 'jane@example.com' } });
    expect(base?.sha).toBe(a.headSha);
    expect(await gh.readFile('git-repro-a', 'models', 'sync/from-primary', 'dir/y.csv')).toBeNull();
    expect(await gh.readFile('git-repro-a', 'models', 'main', 'dir/y.csv')).toBe('a,b\r\n1,2\r\n');
  });
});
