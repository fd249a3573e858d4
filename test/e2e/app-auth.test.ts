import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateAppKeyPair } from '../support/fake-github/index.js';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import { category, pullRequestOf, syncJson } from './helpers.js';

describe('GitHub App authentication end to end', () => {
  let s: SyncScenario;
  let keyDir: string;
  let keyPath: string;
  let pem: string;
  beforeEach(async () => {
    s = await startSyncScenario();
    pem = (await generateAppKeyPair()).privateKeyPem;
    keyDir = await mkdtemp(join(tmpdir(), 'hms-key-'));
    keyPath = join(keyDir, 'app.pem');
    await writeFile(keyPath, pem);
  });
  afterEach(async () => {
    await s.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  const appEnv = (extra: Record<string, string> = {}) => ({
    HORDE_GITHUB_SYNC_GITHUB_TOKEN: undefined,
    GITHUB_APP_ID: '4242',
    GITHUB_APP_PRIVATE_KEY_PATH: keyPath,
    ...extra,
  });

  it('finds the installation from the repository, mints a token, pushes and opens the PR as the App', async () => {
    s.gh.addApp({ appId: 4242, slug: 'horde-sync', privateKeyPem: pem, installations: [{ id: 77, repos: [`${s.owner}/${s.imageRepo}`, `${s.owner}/${s.textRepo}`] }] });
    const result = await syncJson(s, ['--verbose'], appEnv());
    expect(result.run.stderr).not.toMatch(/error/i);
    expect(result.run.code).toBe(0);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
    expect(pullRequestOf(result, s.textRepo)).toMatchObject({ action: 'created' });
    expect(s.gh.pulls(s.owner, s.imageRepo)[0]!.user).toBe('horde-sync[bot]');
    expect(s.gh.requests.some((r) => r.kind === 'git' && r.gitService === 'git-receive-pack' && r.auth === 'installation')).toBe(true);
    expect(s.gh.requests.some((r) => r.path.endsWith(`/repos/${s.owner}/${s.imageRepo}/installation`) && r.auth === 'jwt')).toBe(true);
    // The private key is never printed.
    for (const line of pem.split('\n').filter((l) => l.length > 40)) expect(result.run.stderr).not.toContain(line);
  });

  it('uses GITHUB_APP_INSTALLATION_ID and an inline key with \\n escapes; survives a 5-minute clock skew', async () => {
    s.gh.addApp({ appId: 4242, slug: 'horde-sync', privateKeyPem: pem, installations: [{ id: 78, account: s.owner, repos: '*' }] });
    s.gh.clockSkewSec = -300;
    const result = await syncJson(s, ['--categories', 'image_generation'], {
      HORDE_GITHUB_SYNC_GITHUB_TOKEN: undefined,
      GITHUB_APP_ID: '4242',
      GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      GITHUB_APP_INSTALLATION_ID: '78',
    });
    expect(result.run.code).toBe(0);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
    expect(s.gh.requests.some((r) => r.path.endsWith('/installation'))).toBe(false);
  });

  it('an App not installed on the repository is a clear error', async () => {
    s.gh.addApp({ appId: 4242, slug: 'horde-sync', privateKeyPem: pem, installations: [{ id: 79, repos: [`${s.owner}/${s.textRepo}`] }] });
    const result = await syncJson(s, [], appEnv());
    expect(result.run.code).toBe(1);
    expect(category(result, 'image_generation').error).toMatch(/App is not installed on .*AI-Horde-image-model-reference; install it there .*GITHUB_APP_INSTALLATION_ID/);
    expect(pullRequestOf(result, s.textRepo)).toMatchObject({ action: 'created' });
  });
});
