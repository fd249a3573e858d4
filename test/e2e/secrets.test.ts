import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspace } from '../../src/git/workspace.js';
import { collectFilesContaining, runCli } from '../support/run-cli.js';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import { syncJson } from './helpers.js';

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(path)));
    else out.push(path);
  }
  return out;
}

describe('secrets never leave the process environment', () => {
  let s: SyncScenario;
  beforeEach(async () => {
    s = await startSyncScenario();
  });
  afterEach(async () => s.close());

  it('a full verbose sync: not in any argv, output, PR, comment, commit message or file left behind', async () => {
    const home = await mkdtemp(join(tmpdir(), 'hms-home-'));
    try {
      const run = await runCli([...s.args, '--verbose', '--json'], { env: s.env, home, watchSecrets: [s.token] });
      expect(run.code).toBe(0);
      expect(run.secretSightings).toEqual([]);
      expect(run.stdout).not.toContain(s.token);
      expect(run.stderr).not.toContain(s.token);
      // git really ran, so the argv watcher had something to watch.
      expect(s.gh.requests.filter((r) => r.kind === 'git' && r.authenticated).length).toBeGreaterThan(4);
      for (const repo of [s.imageRepo, s.textRepo]) {
        for (const pr of s.gh.pulls(s.owner, repo)) {
          expect(pr.body ?? '').not.toContain(s.token);
          expect(pr.title).not.toContain(s.token);
        }
        for (const c of s.gh.comments(s.owner, repo)) expect(c.body).not.toContain(s.token);
        for (const commit of await s.gh.log(s.owner, repo, 'sync/from-primary', 3)) expect(commit.message).not.toContain(s.token);
      }
      for (const dir of [home, s.tmpDir, s.env['HORDE_GITHUB_SYNC_STATE_DIR']!]) {
        expect(await collectFilesContaining(dir, s.token)).toEqual([]);
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('the clone holds no credential in .git/config or anywhere else, also after commit and push', async () => {
    const repo = `${s.gh.url}/${s.owner}/${s.imageRepo}.git`;
    const identity = { author: { name: 'a', email: 'a@example.com' }, committer: { name: 'a', email: 'a@example.com' } };
    const ws = await GitWorkspace.clone({ cloneUrl: repo, baseBranch: 'main', token: s.token, retryDelayMs: 10 }, identity);
    try {
      const config = await readFile(join(ws.dir, 'config'), 'utf8'); // a bare clone
      expect(config).toContain(repo); // the plain URL, no credential in it
      expect(config).not.toContain(s.token);
      expect(config).not.toMatch(/extraheader|authorization/i);
      await ws.commitAndPush({ branch: 'secret-check', message: 'check', identity, expectedRemoteSha: null }, new Map([['clip.json', '{}\n']]));
      const basic = Buffer.from(`x-access-token:${s.token}`).toString('base64');
      for (const file of await allFiles(ws.dir)) {
        const bytes = await readFile(file);
        expect(bytes.includes(s.token), file).toBe(false);
        expect(bytes.includes(basic), file).toBe(false);
      }
    } finally {
      ws.dispose();
    }
    expect(await s.gh.branchSha(s.owner, s.imageRepo, 'secret-check')).not.toBeNull();
  });

  it('error paths with --verbose do not print the token (401, 403 push)', async () => {
    const wrong = 'ghp_fakewrongtokenwrongtokenwrongtoken1';
    const unauthorized = await syncJson(s, ['--verbose', '--categories', 'clip'], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: wrong });
    expect(unauthorized.run.code).toBe(1);
    const reader = 'ghp_fakereaderreaderreaderreaderreader1';
    s.gh.addToken(reader, { login: 'reader', repos: { [`${s.owner}/${s.imageRepo}`]: 'read' } });
    const forbidden = await syncJson(s, ['--verbose', '--categories', 'image_generation'], { HORDE_GITHUB_SYNC_GITHUB_TOKEN: reader });
    expect(forbidden.run.code).toBe(1);
    // syncJson fails the test itself if either token shows up in argv, stdout or stderr.
    expect(forbidden.run.stderr).toContain('refused (403)');
  });

  it('a malformed private key gives a clear error that never prints the key', async () => {
    const fakeKeyMaterial = 'MIIEowIBAAKCAQEAsecretsecretsecretsecretsecret';
    const run = await runCli([...s.args, '--dry-run'], {
      env: { ...s.env, GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY: `-----BEGIN RSA PRIVATE KEY-----\\n${fakeKeyMaterial}\\n-----END RSA PRIVATE KEY-----` },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('GITHUB_APP_PRIVATE_KEY (environment): the GitHub App private key is not a valid PEM private key');
    expect(run.stderr + run.stdout).not.toContain(fakeKeyMaterial);
    expect(s.gh.requests).toEqual([]); // found before any network request
  });
});
