import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { gitClient, quietLog, rejection, secret, tempDir } from './helpers.js';

let gh: FakeGitHub;
const TOKEN = secret();
let plain: Octokit;

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.addToken(TOKEN, { login: 'alice' });
  plain = new Octokit({ baseUrl: gh.apiUrl, auth: TOKEN, log: quietLog });
});
afterAll(() => gh.close());
afterEach(() => {
  gh.clearFaults();
  expect(gh.unhandledRequests).toEqual([]);
  expect(gh.serverErrors).toEqual([]);
});

describe('fake GitHub: fault injection', () => {
  it('throttling + retry plugins ride out a secondary limit, a primary limit, 502s and a 429', async () => {
    await gh.createRepo('fault-plugins', 'models', { 'a.json': '{}\n' });
    const events: string[] = [];
    const Throttled = Octokit.plugin(throttling, retry);
    const octokit = new Throttled({
      baseUrl: gh.apiUrl,
      auth: TOKEN,
      log: quietLog,
      // Seconds become 10 ms so the test does not sleep for real.
      throttle: {
        retryAfterBaseValue: 10,
        onSecondaryRateLimit: (after: number) => (events.push(`secondary:${after}`), true),
        onRateLimit: (after: number) => (events.push(`primary:${after}`), true),
      },
      retry: { retryAfterBaseValue: 10 },
    });
    const base = '/api/v3/repos/fault-plugins/models';
    const secondary = gh.injectFault({ path: new RegExp(`${base}$`), type: 'secondary-rate-limit', retryAfter: 1 });
    gh.injectFault({ path: `${base}/contents/`, type: 'rate-limit', resetIn: 1 });
    const bad = gh.injectFault({ path: `${base}/branches$`, type: 'status', status: 502, times: 2 });
    gh.injectFault({ path: `${base}/pulls`, type: '429', retryAfter: 1 });

    const started = Date.now();
    const results = await Promise.all([
      octokit.repos.get({ owner: 'fault-plugins', repo: 'models' }),
      octokit.repos.getContent({ owner: 'fault-plugins', repo: 'models', path: 'a.json' }),
      octokit.repos.listBranches({ owner: 'fault-plugins', repo: 'models' }),
      octokit.pulls.list({ owner: 'fault-plugins', repo: 'models' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(Date.now() - started).toBeLessThan(5000); // retry-after seconds were scaled to 10 ms
    expect(events).toContain('secondary:1');
    expect(events.some((e) => e.startsWith('primary:'))).toBe(true);
    expect(secondary.hits).toBe(1);
    expect(bad.hits).toBe(2);
    expect(gh.requests.filter((r) => r.fault).map((r) => r.fault).sort()).toEqual(['429', 'rate-limit', 'secondary-rate-limit', 'status', 'status']);
  });

  it('without plugins the raw shapes reach the caller: 403 + retry-after, x-ratelimit-remaining 0', async () => {
    await gh.createRepo('fault-raw', 'models', { 'a.json': '{}\n' });
    gh.injectFault({ path: /fault-raw\/models$/, type: 'secondary-rate-limit' });
    const sec = await rejection(plain.repos.get({ owner: 'fault-raw', repo: 'models' }));
    expect(sec.status).toBe(403);
    expect(sec.response?.headers['retry-after']).toBe('60');
    expect(sec.message).toMatch(/You have exceeded a secondary rate limit/);

    gh.injectFault({ path: /fault-raw\/models$/, type: 'rate-limit', resetIn: 120 });
    const prim = await rejection(plain.repos.get({ owner: 'fault-raw', repo: 'models' }));
    expect(prim.status).toBe(403);
    expect(prim.response?.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(prim.response?.headers['x-ratelimit-reset']) - Date.now() / 1000).toBeGreaterThan(100);
    expect(prim.message).toMatch(/API rate limit exceeded for user ID \d+\./);

    gh.injectFault({ path: /fault-raw\/models$/, type: 'reset' });
    const reset = await rejection(plain.repos.get({ owner: 'fault-raw', repo: 'models' }));
    expect(reset.status).toBe(500); // Octokit reports a dropped connection as a 500 RequestError

    gh.injectFault({ path: /fault-raw\/models$/, type: 'delay', delayMs: 200 });
    const t0 = Date.now();
    expect((await plain.repos.get({ owner: 'fault-raw', repo: 'models' })).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('exhausts the real hourly budget: 403 with the anonymous-limit text', async () => {
    const small = await startFakeGitHub({ rateLimits: { anonymous: 2 } });
    try {
      await small.createRepo('fault-budget', 'models', { 'a.json': '{}\n' });
      const anon = new Octokit({ baseUrl: small.apiUrl, log: quietLog });
      await anon.repos.get({ owner: 'fault-budget', repo: 'models' });
      const second = await anon.repos.get({ owner: 'fault-budget', repo: 'models' });
      expect(second.headers['x-ratelimit-remaining']).toBe('0');
      const third = await rejection(anon.repos.get({ owner: 'fault-budget', repo: 'models' }));
      expect(third.status).toBe(403);
      expect(third.message).toContain("API rate limit exceeded for 127.0.0.1. (But here's the good news");
    } finally {
      await small.close();
    }
  });

  it('git faults and POST /_admin/faults (for a CLI running in another process)', async () => {
    const repo = await gh.createRepo('fault-git', 'models', { 'a.json': '{}\n' });
    const res = await fetch(`${gh.url}/_admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: 'fault-git/models\\.git/info/refs', kind: 'git', type: 'status', status: 503, message: 'Service Unavailable' }),
    });
    expect(res.status).toBe(201);
    const work = await tempDir('faults');
    try {
      const git = gitClient({ baseDir: work.path, home: work.path, origin: gh.url, token: TOKEN });
      const err = await git.listRemote([repo.cloneUrl]).then(() => null, (e: Error) => e);
      expect(err?.message).toContain('503');
      expect(await git.listRemote([repo.cloneUrl])).toContain('refs/heads/main'); // one-shot fault
    } finally {
      await work.cleanup();
    }
    const state = (await (await fetch(`${gh.url}/_admin/state`)).json()) as { repos: Array<{ fullName: string; branches: Record<string, string> }>; faults: unknown[] };
    expect(state.repos.find((r) => r.fullName === 'fault-git/models')?.branches.main).toBe(repo.headSha);
    expect(gh.requests.some((r) => r.kind === 'git' && r.fault === 'status' && r.status === 503)).toBe(true);
    expect(gh.requests.some((r) => r.path.startsWith('/_admin'))).toBe(false);
  });

  // `npm test` builds first (pretest), so the compiled launcher is always there.
  it(
    'standalone launcher (built): seeds, prints {url, apiUrl, pid}, stops on SIGTERM',
    async () => {
      const work = await tempDir('launcher');
      try {
        const seedPath = join(work.path, 'seed.json');
        const token = secret();
        await writeFile(seedPath, JSON.stringify({ repos: [{ owner: 'seeded', name: 'models', files: { 'a.json': '{"a":1}\n' } }], tokens: [{ token, login: 'alice' }] }));
        const child = spawn(process.execPath, [new URL('../../dist/test/support/fake-github/cli.js', import.meta.url).pathname, seedPath], { stdio: ['ignore', 'pipe', 'inherit'] });
        const line = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString())));
        const info = JSON.parse(line) as { url: string; apiUrl: string; pid: number };
        expect(info.pid).toBe(child.pid);
        const repo = await new Octokit({ baseUrl: info.apiUrl, auth: token, log: quietLog }).repos.get({ owner: 'seeded', repo: 'models' });
        expect(repo.data.clone_url).toBe(`${info.url}/seeded/models.git`);
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        await work.cleanup();
      }
    },
  );
});
