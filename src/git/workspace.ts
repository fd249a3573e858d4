/**
 * Git behind one small adapter. A workspace is a bare, shallow, blobless clone of the base branch
 * (its commit and trees, no file contents) in a temp dir that is removed at the end, on error and
 * on SIGINT/SIGTERM. The sync commit is built with `git fast-import` on top of the base commit from
 * the new texts alone, so the old versions of the files are never downloaded, checked out or
 * re-hashed; only the new blobs, the root tree and the commit are pushed. The credential reaches
 * git only through the environment (`GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` →
 * `http.<origin>/.extraHeader`): never argv, the URL or the repository's config.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { SyncError } from '../errors.js';
import { GitPushError } from './push-error.js';
import { fastImportStream, type FastImportFile } from './fast-import.js';
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
  /** Token for HTTP basic auth as `x-access-token`; undefined for anonymous. */
  readonly token: string | undefined;
  /** Base delay before retrying a transient failure (5xx, reset connection). */
  readonly retryDelayMs: number;
  /** Files the sync may read or write: their modes are listed right after the clone, in one go. */
  readonly paths?: readonly string[];
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
    /** The bare repository: there is no work tree. */
    readonly dir: string,
    private readonly git: SimpleGit,
    private readonly env: Readonly<Record<string, string>>,
    private readonly secrets: readonly string[],
    private readonly remove: () => void,
    readonly headSha: string,
    private readonly retryDelayMs: number,
    private readonly cloneUrl: string,
    /** Modes of `CloneRequest.paths` in the base commit (absent: no such file). */
    private readonly baseModes: ReadonlyMap<string, string>,
    private readonly listedPaths: ReadonlySet<string>,
  ) {}

  /** Clones the base branch's commit and trees (no blobs) into a new temp dir. */
  static async clone(request: CloneRequest, identity: GitIdentityPair): Promise<GitWorkspace> {
    const dir = await mkdtemp(join(tmpdir(), 'horde-model-sync-'));
    const remove = registerCleanup(() => removeDirSync(dir));
    const secrets = request.token !== undefined ? [request.token, basicHeaderValue(request.token)] : [];
    try {
      const env = gitEnvironment(request.cloneUrl, request.token, identity);
      const git = createGit(dir, env);
      const cloneArgs = ['--bare', '--depth=1', '--filter=blob:none', '--single-branch', '--no-tags', `--branch=${request.baseBranch}`];
      await withGitRetries(
        request.retryDelayMs,
        () => git.clone(request.cloneUrl, dir, cloneArgs),
        // A failed clone may leave a partial repository behind; start the next try from an empty folder.
        async () => {
          removeDirSync(dir);
          await mkdir(dir, { recursive: true });
        },
      );
      const baseRef = `refs/heads/${request.baseBranch}`;
      const paths = request.paths ?? [];
      // Both only read the finished clone, so they run side by side.
      const [headSha, baseModes] = await Promise.all([
        trackOperation(git.revparse([baseRef])).then((sha) => sha.trim()),
        paths.length > 0 ? listModes(git, baseRef, paths) : Promise.resolve(new Map<string, string>()),
      ]);
      return new GitWorkspace(dir, git, env, secrets, remove, headSha, request.retryDelayMs, request.cloneUrl, baseModes, new Set(paths));
    } catch (error) {
      remove();
      throw new SyncError(`cloning ${request.cloneUrl} failed: ${describeGitError(error, secrets)}`);
    }
  }

  /**
   * A file of the base commit; null when the commit has no such file. Fetches its blob on demand,
   * so only before `commitAndPush`, which stops origin from being a promisor remote.
   */
  async readFile(path: string): Promise<string | null> {
    try {
      if (!(await this.modesOf([path])).has(path)) return null;
      return await withGitRetries(this.retryDelayMs, () => this.git.raw(['cat-file', 'blob', `${this.headSha}:${path}`]));
    } catch (error) {
      throw new SyncError(`reading ${path} from the clone failed: ${describeGitError(error, this.secrets)}`);
    }
  }

  /**
   * Commits the new texts on `branch` as one child of the base commit and pushes it with a lease;
   * returns the commit's id. Files keep their mode in the base tree (100644 for new ones).
   */
  async commitAndPush(request: PushRequest, writes: ReadonlyMap<string, string>): Promise<string> {
    // The remote stops being a promisor before the push: pack-objects would otherwise download the
    // old version of every changed file (lazily, as thin-pack delta bases) to save a few kB of
    // upload. --no-thin is ignored over HTTP and `-c remote.origin.promisor=false` does not undo
    // the clone's settings; removing both `promisor` and `partialclonefilter` (each alone makes
    // origin a promisor) does, and removing the whole remote does it in one git call: the push
    // then names the URL. fast-import needs no blob of the base commit, so it runs meanwhile.
    // Best effort: a git that stored them differently only makes the push slower.
    const notPromisor = trackOperation(this.git.raw(['config', '--remove-section', 'remote.origin'])).catch(() => undefined);
    let sha: string;
    try {
      const modes = await this.modesOf([...writes.keys()]);
      const files: FastImportFile[] = [...writes].map(([path, text]) => ({ path, mode: modes.get(path) ?? '100644', text }));
      const marks = join(this.dir, 'horde-model-sync.marks');
      await trackOperation(
        this.runWithInput(
          ['fast-import', '--quiet', '--done', `--export-marks=${marks}`],
          fastImportStream({
            ref: `refs/heads/${request.branch}`,
            parent: this.headSha,
            message: request.message,
            identity: request.identity,
            time: Math.floor(Date.now() / 1000),
            files,
          }),
        ),
      );
      const mark = /^:1 ([0-9a-f]{40,64})$/m.exec(await readFile(marks, 'utf8'));
      if (mark?.[1] === undefined) throw new Error('git fast-import wrote no commit');
      sha = mark[1];
    } catch (error) {
      await notPromisor;
      throw new SyncError(`committing the sync failed: ${describeGitError(error, this.secrets)}`);
    }
    await notPromisor;
    const lease = `--force-with-lease=refs/heads/${request.branch}:${request.expectedRemoteSha ?? ''}`;
    const refspec = `refs/heads/${request.branch}:refs/heads/${request.branch}`;
    try {
      // A push guarded by a lease is safe to repeat after a server error.
      await withGitRetries(this.retryDelayMs, () => this.git.raw(['push', '--quiet', '--no-verify', lease, this.cloneUrl, refspec]));
    } catch (error) {
      throw classifyPushError(error, request.branch, this.secrets);
    }
    return sha;
  }

  dispose(): void {
    this.remove();
  }

  /** Modes of files in the base commit, from the listing made at clone time when it covers them. */
  private async modesOf(paths: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (paths.every((p) => this.listedPaths.has(p))) return this.baseModes;
    return listModes(this.git, this.headSha, paths);
  }

  /**
   * Runs git with a large stdin. simple-git has no way to feed a process's input, so this one
   * process is spawned directly, with the same environment, folder and interruption signal.
   */
  private runWithInput(args: readonly string[], input: Iterable<Buffer>): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, { cwd: this.dir, env: this.env, stdio: ['pipe', 'ignore', 'pipe'], signal: interruption.signal });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        if (stderr.length < 64 * 1024) stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (code === 0) resolve();
        else reject(new Error(`git ${args[0]} exited with ${signal ?? code}: ${stderr.trim()}`));
      });
      // A git that dies early closes its stdin; the exit code above tells why.
      child.stdin.on('error', () => undefined);
      void (async () => {
        for (const chunk of input) {
          if (!child.stdin.write(chunk)) await new Promise<void>((drained) => child.stdin.once('drain', drained).once('close', drained));
          if (child.stdin.destroyed) return;
        }
        child.stdin.end();
      })();
    });
  }
}

async function listModes(git: SimpleGit, treeish: string, paths: readonly string[]): Promise<Map<string, string>> {
  const listed = await trackOperation(git.raw(['ls-tree', '--full-tree', '-z', treeish, '--', ...paths]));
  const modes = new Map<string, string>();
  for (const record of listed.split('\0')) {
    const match = /^(\d{6}) blob [0-9a-f]+\t(.*)$/s.exec(record);
    if (match?.[1] !== undefined && match[2] !== undefined) modes.set(match[2], match[1]);
  }
  return modes;
}

function basicHeaderValue(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString('base64');
}

function gitEnvironment(cloneUrl: string, token: string | undefined, identity: GitIdentityPair): Record<string, string> {
  const origin = new URL(cloneUrl).origin;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && PASSED_THROUGH.test(key)) env[key] = value;
  }
  const config: [string, string][] = [
    // No credential helper may store or supply credentials for this run.
    ['credential.helper', ''],
    // The clone lives for seconds: no background maintenance or gc after fetch and commit.
    ['maintenance.auto', 'false'],
    ['gc.auto', '0'],
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
  return env;
}

function createGit(dir: string, env: Readonly<Record<string, string>>): SimpleGit {
  const allowEnvironment = Object.keys(env).filter((k) => /^git_/i.test(k));
  return simpleGit({
    baseDir: tmpdir(),
    abort: interruption.signal,
    allowEnvironment,
    // Both are set by this adapter itself: the credential header, and an empty credential.helper
    // that turns every helper off.
    unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeCredentialHelper: true },
  } as Parameters<typeof simpleGit>[0])
    .env({ ...env })
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
