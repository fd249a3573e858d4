/**
 * Git behind one small adapter. A workspace is a shallow, blobless, sparse clone of the base
 * branch holding only the synced files, in a temp dir that is removed at the end, on error and on
 * SIGINT/SIGTERM. The credential reaches git only through the environment (`GIT_CONFIG_COUNT`/
 * `GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` → `http.<origin>/.extraHeader`): never argv, the URL or
 * `.git/config`.
 */
import { mkdir, mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { SyncError } from '../errors.js';
import { GitPushError } from './push-error.js';
import { interruption, registerCleanup, removeDirSync, trackOperation } from '../util/cleanup.js';
import { redactSecrets } from '../util/redact.js';
import { backoffDelay, sleep } from '../util/retry.js';

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
  /** Base delay before retrying a transient failure (5xx, reset connection). */
  readonly retryDelayMs: number;
}

/** Git's words for failures worth one more try: server errors and dropped connections. */
const TRANSIENT = /\b5\d\d\b|RPC failed|Connection reset|connection was reset|timed out|early EOF|unexpected disconnect|Empty reply/i;
const GIT_ATTEMPTS = 3;

async function withGitRetries<T>(retryDelayMs: number, action: () => Promise<T>, beforeRetry?: () => Promise<void>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await trackOperation(action());
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (attempt >= GIT_ATTEMPTS || !TRANSIENT.test(text) || /GH006|denied|stale info/i.test(text)) throw error;
      await sleep(backoffDelay(attempt, retryDelayMs));
      await beforeRetry?.();
    }
  }
}

export interface PushRequest {
  readonly branch: string;
  readonly message: string;
  readonly identity: GitIdentityPair;
  /** The branch's current remote head, or null when the branch must not exist yet. */
  readonly expectedRemoteSha: string | null;
}

/**
 * The only ambient variables git gets: what it needs to find itself, its config, proxies and CA
 * certificates. Everything else (EDITOR, PAGER, GIT_TRACE*, …) is left out: a maintainer's shell
 * must not change what the sync does, and simple-git refuses several of them anyway.
 */
const PASSED_THROUGH = /^(PATH|HOME|USER|LOGNAME|TMPDIR|TEMP|TMP|LANG|LANGUAGE|XDG_CONFIG_HOME|SSL_CERT_FILE|SSL_CERT_DIR|GIT_SSL_CAINFO|GIT_SSL_CAPATH|SYSTEMROOT|COMSPEC|(https?|all|no)_proxy|(HTTPS?|ALL|NO)_PROXY)$/;

export class GitWorkspace {
  private constructor(
    readonly dir: string,
    private readonly git: SimpleGit,
    private readonly secrets: readonly string[],
    private readonly remove: () => void,
    readonly headSha: string,
    private readonly retryDelayMs: number,
  ) {}

  /** Clones the base branch sparsely into a new temp dir. */
  static async clone(request: CloneRequest, identity: GitIdentityPair): Promise<GitWorkspace> {
    const dir = await mkdtemp(join(tmpdir(), 'horde-model-sync-'));
    const remove = registerCleanup(() => removeDirSync(dir));
    const secrets = request.token !== undefined ? [request.token, basicHeaderValue(request.token)] : [];
    try {
      const git = createGit(dir, request.cloneUrl, request.token, identity);
      const cloneArgs = ['--depth=1', '--filter=blob:none', '--sparse', '--no-checkout', '--single-branch', '--no-tags', `--branch=${request.baseBranch}`];
      await withGitRetries(
        request.retryDelayMs,
        () => git.clone(request.cloneUrl, dir, cloneArgs),
        // A failed clone may leave a partial .git behind; start the next try from an empty folder.
        async () => {
          removeDirSync(dir);
          await mkdir(dir, { recursive: true });
        },
      );
      await trackOperation(git.raw(['sparse-checkout', 'set', '--no-cone', ...request.paths.map((p) => `/${p}`)]));
      // The checkout fetches the sparse files' blobs (the clone was blobless).
      await withGitRetries(request.retryDelayMs, () => git.raw(['checkout', '--quiet', request.baseBranch]));
      const headSha = (await trackOperation(git.revparse(['HEAD']))).trim();
      return new GitWorkspace(dir, git, secrets, remove, headSha, request.retryDelayMs);
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
      await trackOperation(this.git.raw(['checkout', '--quiet', '-B', request.branch]));
      await trackOperation(this.git.raw(['add', '--', ...paths]));
      // The message goes through a file inside .git (removed with the clone), keeping argv short.
      const messageFile = join(this.dir, '.git', 'SYNC_COMMIT_MSG');
      await writeFile(messageFile, request.message, 'utf8');
      await trackOperation(this.git.raw(['commit', '--quiet', '--no-verify', '-F', messageFile]));
    } catch (error) {
      throw new SyncError(`committing the sync failed: ${describeGitError(error, this.secrets)}`);
    }
    const lease = `--force-with-lease=refs/heads/${request.branch}:${request.expectedRemoteSha ?? ''}`;
    try {
      // A push guarded by a lease is safe to repeat after a server error.
      await withGitRetries(this.retryDelayMs, () => this.git.raw(['push', '--quiet', '--no-verify', lease, 'origin', `HEAD:refs/heads/${request.branch}`]));
    } catch (error) {
      throw classifyPushError(error, request.branch, this.secrets);
    }
    return (await trackOperation(this.git.revparse(['HEAD']))).trim();
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
    if (value !== undefined && PASSED_THROUGH.test(key)) env[key] = value;
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
    abort: interruption.signal,
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
