/**
 * Git behind one small adapter. A workspace is a shallow, blobless, sparse clone of the base
 * branch holding only the synced files, in a temp dir that is removed at the end, on error and on
 * SIGINT/SIGTERM. The credential reaches git only through the environment (`GIT_CONFIG_COUNT`/
 * `GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` → `http.<origin>/.extraHeader`): never argv, the URL or
 * `.git/config`.
 */
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { SyncError } from '../errors.js';
import { registerCleanup, removeDirSync } from '../util/cleanup.js';
import { redactSecrets } from '../util/redact.js';

export interface GitIdentityPair {
  readonly author: { readonly name: string; readonly email: string };
  readonly committer: { readonly name: string; readonly email: string };
}

export interface CloneRequest {
  readonly cloneUrl: string;
  readonly baseBranch: string;
  readonly paths: readonly string[];
  /** Token for HTTP basic auth as `x-access-token`; undefined for anonymous. */
  readonly token: string | undefined;
}

export interface PushRequest {
  readonly branch: string;
  readonly message: string;
  readonly identity: GitIdentityPair;
  /** The branch's current remote head, or null when the branch must not exist yet. */
  readonly expectedRemoteSha: string | null;
}

export type PushFailureKind = 'protected' | 'forbidden' | 'auth' | 'stale' | 'other';

export class GitPushError extends SyncError {
  constructor(
    message: string,
    readonly kind: PushFailureKind,
  ) {
    super(message);
    this.name = 'GitPushError';
  }
}

/** Ambient git variables that must reach git for HTTPS to work behind corporate CAs. */
const PASSED_THROUGH = ['GIT_SSL_CAINFO', 'GIT_SSL_CAPATH'];

export class GitWorkspace {
  private constructor(
    readonly dir: string,
    private readonly git: SimpleGit,
    private readonly secrets: readonly string[],
    private readonly remove: () => void,
    readonly headSha: string,
  ) {}

  /** Clones the base branch sparsely into a new temp dir. */
  static async clone(request: CloneRequest, identity: GitIdentityPair): Promise<GitWorkspace> {
    const dir = await mkdtemp(join(tmpdir(), 'horde-model-sync-'));
    const remove = registerCleanup(() => removeDirSync(dir));
    const secrets = request.token !== undefined ? [request.token, basicHeaderValue(request.token)] : [];
    try {
      const git = createGit(dir, request.cloneUrl, request.token, identity);
      await git.clone(request.cloneUrl, dir, [
        '--depth=1',
        '--filter=blob:none',
        '--sparse',
        '--no-checkout',
        '--single-branch',
        '--no-tags',
        `--branch=${request.baseBranch}`,
      ]);
      await git.raw(['sparse-checkout', 'set', '--no-cone', ...request.paths.map((p) => `/${p}`)]);
      await git.raw(['checkout', '--quiet', request.baseBranch]);
      const headSha = (await git.revparse(['HEAD'])).trim();
      return new GitWorkspace(dir, git, secrets, remove, headSha);
    } catch (error) {
      remove();
      throw new SyncError(`cloning ${request.cloneUrl} failed: ${describeGitError(error, secrets)}`);
    }
  }

  async readFile(path: string): Promise<string | null> {
    try {
      return await readFile(join(this.dir, path), 'utf8');
    } catch {
      return null;
    }
  }

  async writeFiles(files: ReadonlyMap<string, string>): Promise<void> {
    for (const [path, content] of files) await writeFile(join(this.dir, path), content, 'utf8');
  }

  /** Commits every written file on `branch` (created from the base head) and pushes it. */
  async commitAndPush(request: PushRequest, paths: readonly string[]): Promise<string> {
    try {
      await this.git.raw(['checkout', '--quiet', '-B', request.branch]);
      await this.git.raw(['add', '--', ...paths]);
      // The message goes through a file inside .git (removed with the clone), keeping argv short.
      const messageFile = join(this.dir, '.git', 'SYNC_COMMIT_MSG');
      await writeFile(messageFile, request.message, 'utf8');
      await this.git.raw(['commit', '--quiet', '--no-verify', '-F', messageFile]);
    } catch (error) {
      throw new SyncError(`committing the sync failed: ${describeGitError(error, this.secrets)}`);
    }
    const lease = `--force-with-lease=refs/heads/${request.branch}:${request.expectedRemoteSha ?? ''}`;
    try {
      await this.git.raw(['push', '--quiet', '--no-verify', lease, 'origin', `HEAD:refs/heads/${request.branch}`]);
    } catch (error) {
      throw classifyPushError(error, request.branch, this.secrets);
    }
    return (await this.git.revparse(['HEAD'])).trim();
  }

  dispose(): void {
    this.remove();
  }
}

function basicHeaderValue(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString('base64');
}

function createGit(dir: string, cloneUrl: string, token: string | undefined, identity: GitIdentityPair): SimpleGit {
  const origin = new URL(cloneUrl).origin;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^git_/i.test(key)) env[key] = value;
  }
  for (const key of PASSED_THROUGH) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  const config: [string, string][] = [
    // No credential helper may store or supply credentials for this run.
    ['credential.helper', ''],
  ];
  if (token !== undefined) config.push([`http.${origin}/.extraHeader`, `Authorization: Basic ${basicHeaderValue(token)}`]);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  Object.assign(env, {
    GIT_CONFIG_COUNT: String(config.length),
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: identity.author.name,
    GIT_AUTHOR_EMAIL: identity.author.email,
    GIT_COMMITTER_NAME: identity.committer.name,
    GIT_COMMITTER_EMAIL: identity.committer.email,
    // English messages, so push failures can be recognised.
    LC_ALL: 'C',
  });
  const allowEnvironment = Object.keys(env).filter((k) => /^git_/i.test(k));
  return simpleGit({
    baseDir: tmpdir(),
    allowEnvironment,
    // Both are set by this adapter itself: the credential header, and an empty credential.helper
    // that turns every helper off.
    unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeCredentialHelper: true },
  } as Parameters<typeof simpleGit>[0])
    .env(env)
    .cwd({ path: dir, root: false });
}

function describeGitError(error: unknown, secrets: readonly string[]): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactSecrets(text.trim().split('\n').slice(-6).join(' | '), secrets);
}

function classifyPushError(error: unknown, branch: string, secrets: readonly string[]): GitPushError {
  const text = describeGitError(error, secrets);
  if (/GH006|protected branch/i.test(text)) {
    return new GitPushError(`pushing ${branch} was rejected by a branch protection rule (GH006): exempt the sync credential from the rule for ${branch}, or protect only the base branch`, 'protected');
  }
  if (/stale info|fetch first|non-fast-forward|rejected/i.test(text) && !/denied|403/.test(text)) {
    return new GitPushError(`${branch} moved on GitHub while this run worked: ${text}`, 'stale');
  }
  if (/denied|403/i.test(text)) {
    return new GitPushError(`pushing ${branch} was refused (403): the credential may read but not write; give it contents: write on the repository`, 'forbidden');
  }
  if (/Authentication failed|401|could not read Username/i.test(text)) {
    return new GitPushError(`git could not authenticate to push ${branch}: the token was rejected; check the credential`, 'auth');
  }
  return new GitPushError(`pushing ${branch} failed: ${text}`, 'other');
}
