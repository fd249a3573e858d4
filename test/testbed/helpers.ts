import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/** A token-shaped secret unique to one test, so a leak can be searched for unambiguously. */
export const secret = (prefix = 'ghp_'): string => `${prefix}${randomBytes(18).toString('hex')}`;

export async function tempDir(label: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `testbed-${label}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Incompressible but reproducible bytes: AES-256-CTR over zeros with a fixed key. */
export function deterministicBytes(n: number, seed = 1): Buffer {
  const key = Buffer.alloc(32, seed);
  const iv = Buffer.alloc(16, 0);
  return createCipheriv('aes-256-ctr', key, iv).update(Buffer.alloc(n));
}

/**
 * simple-git the way the product is meant to use it: the credential only in GIT_CONFIG_COUNT/KEY/VALUE
 * (`http.<origin>/.extraHeader`), so it is in neither argv nor .git/config. simple-git 4 strips
 * ambient GIT_* variables and throws on passed ones unless they are allow-listed, and
 * GIT_CONFIG_COUNT additionally needs `unsafe.allowUnsafeConfigEnvCount`.
 */
export function gitClient(opts: { baseDir: string; home: string; origin: string; token?: string; user?: string }): SimpleGit {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: opts.home,
    LANG: 'C',
    GIT_TERMINAL_PROMPT: '0',
  };
  const allow = ['GIT_TERMINAL_PROMPT'];
  if (opts.token) {
    const basic = Buffer.from(`${opts.user ?? 'x-access-token'}:${opts.token}`).toString('base64');
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = `http.${opts.origin}/.extraHeader`;
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
    allow.push('GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0');
  }
  return simpleGit({
    baseDir: opts.baseDir,
    allowEnvironment: allow,
    unsafe: { allowUnsafeConfigEnvCount: true },
    config: ['user.name=Sync Bot', 'user.email=sync-bot@example.com', 'init.defaultBranch=main'],
  }).env(env);
}

/** The RequestError an Octokit call rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ status: number; message: string; response?: { data: unknown; headers: Record<string, string | undefined> } }> {
  try {
    await p;
  } catch (err) {
    return err as { status: number; message: string; response?: { data: unknown; headers: Record<string, string | undefined> } };
  }
  throw new Error('expected the request to fail, but it succeeded');
}

/** Octokit's request-log plugin prints every 4xx; the tests assert on them instead. */
export const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
