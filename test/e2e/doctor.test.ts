import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAppKeyPair } from '../support/fake-github/index.js';
import { runCli, type RunCliResult } from '../support/run-cli.js';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';

interface CheckJson {
  name: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}
interface DoctorJson {
  ok: boolean;
  settings: Record<string, string>;
  checks: CheckJson[];
}

let s: SyncScenario;
let keyDir: string;
let keyPath: string;
let pem: string;

beforeAll(async () => {
  s = await startSyncScenario();
  pem = (await generateAppKeyPair()).privateKeyPem;
  keyDir = await mkdtemp(join(tmpdir(), 'hms-doctor-key-'));
  keyPath = join(keyDir, 'app.pem');
  await writeFile(keyPath, pem);
});
afterAll(async () => {
  await s.close();
  await rm(keyDir, { recursive: true, force: true });
});

/** Runs `doctor --json` against the scenario; the credential must never show up anywhere. */
async function doctor(extra: string[] = [], env: Record<string, string | undefined> = {}, json = true): Promise<{ run: RunCliResult; result: DoctorJson | undefined }> {
  const merged = { ...s.env, ...env };
  const secrets = [merged.HORDE_GITHUB_SYNC_GITHUB_TOKEN].filter((t): t is string => t !== undefined);
  const run = await runCli(['doctor', ...s.args, ...(json ? ['--json'] : []), ...extra], { env: merged, watchSecrets: secrets });
  for (const secret of [...secrets, ...pem.split('\n').filter((l) => l.length > 40)]) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  expect(run.secretSightings).toEqual([]);
  return { run, result: json && run.stdout.trim() !== '' ? (JSON.parse(run.stdout) as DoctorJson) : undefined };
}

const check = (result: DoctorJson | undefined, name: string | RegExp): CheckJson => {
  const found = result?.checks.find((c) => (typeof name === 'string' ? c.name === name : name.test(c.name)));
  if (found === undefined) throw new Error(`no check ${String(name)} in ${JSON.stringify(result?.checks.map((c) => c.name))}`);
  return found;
};
const failed = (result: DoctorJson | undefined) => result?.checks.filter((c) => c.status === 'fail') ?? [];

describe('doctor: a working setup', () => {
  it('passes every check in the documented order, exits 0, and writes nothing anywhere', async () => {
    s.gh.resetLog();
    const before = { image: s.gh.labels(s.owner, s.imageRepo).length, files: await readdir(s.env.HORDE_GITHUB_SYNC_STATE_DIR!) };
    const { run, result } = await doctor();
    expect(run.code).toBe(0);
    expect(result?.ok).toBe(true);
    expect(failed(result)).toEqual([]);
    const names = result!.checks.map((c) => c.name);
    const image = `${s.owner}/${s.imageRepo}`;
    expect(names).toEqual([
      'settings',
      'PRIMARY reachable',
      ...['blip', 'clip', 'codeformer', 'controlnet', 'esrgan', 'gfpgan', 'miscellaneous', 'safety_checker', 'image_generation', 'text_generation'].map((c) => `PRIMARY serves ${c}`),
      'GitHub credential',
      `${image}: readable`,
      `${image}: base branch main`,
      `${image}: may push`,
      `${image}: may open pull requests`,
      `${image}: labels`,
      ...['readable', 'base branch main', 'may push', 'may open pull requests', 'labels'].map((n) => `${s.owner}/${s.textRepo}: ${n}`),
      'state directory',
      'git',
    ]);
    expect(check(result, 'GitHub credential').detail).toContain('sync-bot');
    expect(check(result, `${image}: labels`).detail).toContain('missing: automated, sync, ready-for-review (created by the first run)');
    expect(check(result, 'PRIMARY serves image_generation').detail).toMatch(/^\d+ entries$/);
    // The settings as sync resolves them, the token masked.
    expect(result!.settings).toMatchObject({ 'image-repo': image, 'base-branch': 'main', 'dry-run': 'false' });
    expect(result!.settings['credential']).toMatch(/^token ghp_… \(\d+ characters\) from HORDE_GITHUB_SYNC_GITHUB_TOKEN \(environment\)$/);

    // No writes: no git traffic, only GET requests, no branch, no pull request, no label, no lock or history.
    expect(s.gh.requests.filter((r) => r.kind === 'git')).toEqual([]);
    expect(s.gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await s.gh.listBranches(s.owner, s.imageRepo)).toEqual(['main']);
    expect(s.gh.pulls(s.owner, s.imageRepo)).toEqual([]);
    expect(s.gh.labels(s.owner, s.imageRepo)).toHaveLength(before.image);
    expect(await readdir(s.env.HORDE_GITHUB_SYNC_STATE_DIR!)).toEqual(before.files);
    expect(await readdir(s.tmpDir)).toEqual([]);
    expect(s.gh.unhandledRequests).toEqual([]);
  });

  it('prints a table with a mark per check and the verdict', async () => {
    const { run } = await doctor([], {}, false);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Settings, as sync resolves them (secrets masked):');
    expect(run.stdout).toMatch(/^✓ {2}settings {2,}valid; read from flags and environment \(no env file\)$/m);
    expect(run.stdout).toMatch(/^✓ {2}GitHub credential {2,}sync-bot \(User\)/m);
    expect(run.stdout).toContain('All checks passed: a real run would work.');
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('works with a GitHub App: shows the installation and its permissions', async () => {
    s.gh.addApp({ appId: 5151, slug: 'horde-doctor', privateKeyPem: pem, installations: [{ id: 515, repos: [`${s.owner}/${s.imageRepo}`, `${s.owner}/${s.textRepo}`] }] });
    const { run, result } = await doctor([], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: undefined, GITHUB_APP_ID: '5151', GITHUB_APP_PRIVATE_KEY_PATH: keyPath });
    expect(failed(result)).toEqual([]);
    expect(run.code).toBe(0);
    expect(check(result, 'GitHub credential').detail).toBe('GitHub App horde-doctor (id 5151)');
    expect(check(result, `${s.owner}/${s.imageRepo}: App installation`).detail).toBe('permissions: contents: write, issues: write, metadata: read, pull_requests: write');
    expect(check(result, `${s.owner}/${s.imageRepo}: may open pull requests`).detail).toBe('yes (pull_requests: write)');
    expect(result!.settings['credential']).toBe('GitHub App 5151 (private key set, not shown), installation found per repository');
  });
});

describe('doctor: each misconfiguration fails with what to fix', () => {
  it('a bad token: the credential is refused, repositories are not checked with it, exit 1', async () => {
    const { run, result } = await doctor([], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: 'ghp_fakeNotARealToken00000000000000000000' });
    expect(run.code).toBe(1);
    expect(result?.ok).toBe(false);
    const credential = check(result, 'GitHub credential');
    expect(credential.status).toBe('fail');
    expect(credential.detail).toContain('GitHub rejected the token from HORDE_GITHUB_SYNC_GITHUB_TOKEN (environment) (401 Bad credentials)');
    expect(credential.fix).toContain('create a token with Contents: read and write and Pull requests: read and write');
    expect(check(result, `${s.owner}/${s.imageRepo}: readable`).status).toBe('skip');
  });

  it('no push permission: the push check fails and says which permission to grant', async () => {
    const reader = `ghp_reader${'R'.repeat(26)}`;
    s.gh.addToken(reader, { login: 'reader', repos: { [`${s.owner}/${s.imageRepo}`]: 'read', [`${s.owner}/${s.textRepo}`]: 'write' } });
    const { run, result } = await doctor([], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: reader });
    expect(run.code).toBe(1);
    const push = check(result, `${s.owner}/${s.imageRepo}: may push`);
    expect(push).toMatchObject({ status: 'fail', detail: `the credential may not push to ${s.owner}/${s.imageRepo}` });
    expect(push.fix).toContain('Contents: read and write');
    expect(check(result, `${s.owner}/${s.imageRepo}: may open pull requests`).status).toBe('fail');
    expect(check(result, `${s.owner}/${s.textRepo}: may push`).status).toBe('pass');
    expect(failed(result).map((c) => c.name)).toEqual([`${s.owner}/${s.imageRepo}: may push`, `${s.owner}/${s.imageRepo}: may open pull requests`, `${s.owner}/${s.imageRepo}: labels`]);
  });

  it('a missing base branch: names the repository default branch as the fix', async () => {
    const { run, result } = await doctor(['--base-branch', 'develop']);
    expect(run.code).toBe(1);
    const branch = check(result, `${s.owner}/${s.imageRepo}: base branch develop`);
    expect(branch).toMatchObject({ status: 'fail', detail: `develop does not exist in ${s.owner}/${s.imageRepo} (its default branch is main)` });
    expect(branch.fix).toBe('set --base-branch (HORDE_GITHUB_SYNC_GITHUB_BRANCH) to an existing branch, e.g. main');
  });

  it('PRIMARY down: one failure naming --primary-url, while GitHub is still checked', async () => {
    // A port that was just free: connections to it are refused.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const { run, result } = await doctor(['--primary-url', `http://127.0.0.1:${port}/api`]);
    expect(run.code).toBe(1);
    const primary = check(result, 'PRIMARY reachable');
    expect(primary.status).toBe('fail');
    expect(primary.detail).toContain('connection refused');
    expect(primary.fix).toContain('check --primary-url (HORDE_GITHUB_SYNC_PRIMARY_API_URL)');
    expect(result!.checks.some((c) => c.name.startsWith('PRIMARY serves'))).toBe(false);
    expect(check(result, 'GitHub credential').status).toBe('pass');
  });

  it('a PRIMARY URL without /api: every category 404s, which is a failure, not a skip', async () => {
    const { run, result } = await doctor(['--primary-url', s.primary.origin]);
    expect(run.code).toBe(1);
    expect(check(result, 'PRIMARY reachable')).toMatchObject({ status: 'fail', detail: `${s.primary.origin} answers, but 404 for every category` });
  });

  it('a repository that does not exist: says which flag names it', async () => {
    const { run, result } = await doctor(['--text-repo', `${s.owner}/no-such-repo`]);
    expect(run.code).toBe(1);
    const read = check(result, `${s.owner}/no-such-repo: readable`);
    expect(read.status).toBe('fail');
    expect(read.detail).toContain('404');
    expect(read.fix).toContain('--text-repo (HORDE_GITHUB_SYNC_GITHUB_TEXT_REPO)');
    expect(check(result, `${s.owner}/no-such-repo: base branch main`).status).toBe('skip');
  });

  it('no credential at all: the other checks still run anonymously, the credential check says what to set', async () => {
    const { run, result } = await doctor([], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: undefined });
    expect(run.code).toBe(1);
    expect(check(result, 'settings').detail).toContain('valid except the credential');
    expect(check(result, 'GitHub credential')).toMatchObject({ status: 'fail' });
    expect(check(result, 'GitHub credential').fix).toContain('HORDE_GITHUB_SYNC_GITHUB_TOKEN');
    expect(check(result, `${s.owner}/${s.imageRepo}: readable`).status).toBe('pass');
    expect(check(result, `${s.owner}/${s.imageRepo}: may push`).status).toBe('fail');
  });

  it('with --dry-run nothing needs a credential, so the same setup passes', async () => {
    const { run, result } = await doctor(['--dry-run'], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: undefined });
    expect(failed(result)).toEqual([]);
    expect(run.code).toBe(0);
    expect(check(result, `${s.owner}/${s.imageRepo}: may push`)).toMatchObject({ status: 'skip', detail: 'not needed: dry runs write nothing' });
  });

  it('invalid settings: every problem is a failed settings row, nothing is contacted, exit 2', async () => {
    s.gh.resetLog();
    const { run, result } = await doctor(['--categories', 'bogus', '--min-changes', 'many']);
    expect(run.code).toBe(2);
    expect(failed(result).map((c) => c.name)).toEqual(['settings', 'settings']);
    expect(failed(result)[0]!.detail).toContain('unknown category "bogus"');
    expect(s.gh.requests).toEqual([]);
  });

  it('an App without write permissions, and an App not installed on one repository', async () => {
    s.gh.addApp({
      appId: 6161,
      slug: 'horde-readonly',
      privateKeyPem: pem,
      installations: [{ id: 616, repos: [`${s.owner}/${s.imageRepo}`], permissions: { contents: 'read', metadata: 'read' } }],
    });
    const { run, result } = await doctor([], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: undefined, GITHUB_APP_ID: '6161', GITHUB_APP_PRIVATE_KEY_PATH: keyPath });
    expect(run.code).toBe(1);
    expect(check(result, `${s.owner}/${s.imageRepo}: App installation`).detail).toBe('permissions: contents: read, metadata: read');
    expect(check(result, `${s.owner}/${s.imageRepo}: may push`)).toMatchObject({ status: 'fail' });
    expect(check(result, `${s.owner}/${s.imageRepo}: may push`).fix).toContain('Contents: read and write');
    expect(check(result, `${s.owner}/${s.imageRepo}: labels`).status).toBe('fail');
    const missing = check(result, `${s.owner}/${s.textRepo}: App installation`);
    expect(missing).toMatchObject({ status: 'fail', detail: `the App is not installed on ${s.owner}/${s.textRepo}` });
    expect(missing.fix).toContain(`/apps/horde-readonly/installations/new`);
  });

  it('an App ID that does not match the key', async () => {
    const { run, result } = await doctor([], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: undefined, GITHUB_APP_ID: '999', GITHUB_APP_PRIVATE_KEY_PATH: keyPath });
    expect(run.code).toBe(1);
    expect(check(result, 'GitHub credential').detail).toContain('does not match the private key');
  });

  it('a state directory that cannot be written', async () => {
    const file = join(keyDir, 'not-a-dir');
    await writeFile(file, 'x');
    const { run, result } = await doctor(['--state-dir', join(file, 'state')]);
    expect(run.code).toBe(1);
    expect(check(result, 'state directory')).toMatchObject({ status: 'fail' });
    expect(check(result, 'state directory').fix).toContain('--state-dir (HORDE_GITHUB_SYNC_STATE_DIR)');
    expect(existsSync(join(file, 'state'))).toBe(false);
  });
});
