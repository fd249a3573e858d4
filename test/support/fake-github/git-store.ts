import { mkdir, mkdtemp, readFile, rm, writeFile, appendFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gitText, runGit } from './git-exec.js';

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO string or Date; default: a pinned, per-repository increasing date. */
  date?: string | Date;
}

export interface CommitInfo {
  sha: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size: number | null;
  /** Path from the repository root. */
  path: string;
  name: string;
}

export type TreeLookup = { kind: 'file'; entry: TreeEntry } | { kind: 'dir'; entries: TreeEntry[] } | null;

export type FileContent = string | Buffer;

const ZERO_SHA = '0'.repeat(40);
/** Fixture commits start at 2024-01-01T00:00:00Z and advance one minute each, so SHAs are reproducible. */
const PINNED_EPOCH = 1_704_067_200;
export const FIXTURE_AUTHOR: GitIdentity = { name: 'Fixture Maintainer', email: 'maintainer@example.com' };

/** Written into every bare repository; `protectBranch` appends refs to the list it reads. */
const PRE_RECEIVE_HOOK = `#!/bin/sh
# GitHub rejects pushes to a protected branch from a pre-receive hook with exactly this text.
list="./fake-github-protected"
status=0
while read old new ref; do
  if [ -f "$list" ] && grep -Fqx -- "$ref" "$list"; then
    echo "error: GH006: Protected branch update failed for $ref." >&2
    echo "error: Changes must be made through a pull request." >&2
    status=1
  fi
done
exit $status
`;

// Trees and pathspecs are literal paths here; a fixture named "a*.json" must not glob.
const LITERAL = { GIT_LITERAL_PATHSPECS: '1' };

export class GitStore {
  private readonly commitCounters = new Map<string, number>();

  private readonly knownCommits = new Set<string>();
  private readonly treeCache = new Map<string, Promise<TreeEntry[]>>();
  private readonly blobCache = new Map<string, Promise<Buffer>>();

  private constructor(readonly root: string) {}

  static async create(): Promise<GitStore> {
    const root = await mkdtemp(join(tmpdir(), 'fake-github-'));
    await mkdir(join(root, 'repos'), { recursive: true });
    await mkdir(join(root, 'tmp'), { recursive: true });
    return new GitStore(root);
  }

  /** GIT_PROJECT_ROOT for git http-backend. */
  get projectRoot(): string {
    return join(this.root, 'repos');
  }

  gitDir(owner: string, name: string): string {
    return join(this.projectRoot, owner, `${name}.git`);
  }

  async initBare(gitDir: string, defaultBranch: string): Promise<void> {
    await mkdir(dirname(gitDir), { recursive: true });
    await runGit(['init', '--bare', '-q', `--initial-branch=${defaultBranch}`, gitDir]);
    // bigFileThreshold: without it pack-objects delta-searches every large blob on each clone (17 s vs 2 s
    // measured). allowFilter/allowAnySHA1InWant: partial clones. receivepack: http-backend refuses pushes otherwise.
    await appendFile(
      join(gitDir, 'config'),
      '[core]\n\tbigFileThreshold = 1m\n[uploadpack]\n\tallowFilter = true\n\tallowAnySHA1InWant = true\n[http]\n\treceivepack = true\n',
    );
    const hook = join(gitDir, 'hooks', 'pre-receive');
    await mkdir(dirname(hook), { recursive: true });
    await writeFile(hook, PRE_RECEIVE_HOOK);
    await chmod(hook, 0o755);
  }

  async setHead(gitDir: string, branch: string): Promise<void> {
    await runGit(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], { gitDir });
  }

  /**
   * Adds one commit on `branch` without a work tree: temporary index, hash-object, write-tree,
   * commit-tree, then a compare-and-swap update-ref. A missing branch starts from `startPoint`.
   * A `null` content deletes the path.
   */
  async commit(
    gitDir: string,
    branch: string,
    files: Record<string, FileContent | null>,
    message: string,
    opts: { author?: GitIdentity; committer?: GitIdentity; startPoint?: string | null } = {},
  ): Promise<string> {
    const existing = await this.branchSha(gitDir, branch);
    const parent = existing ?? (opts.startPoint ? await this.resolveCommit(gitDir, opts.startPoint) : null);
    const tmp = await mkdtemp(join(this.root, 'tmp', 'commit-'));
    try {
      const env = { ...LITERAL, GIT_INDEX_FILE: join(tmp, 'index') };
      if (parent) await runGit(['read-tree', parent], { gitDir, env });

      const blobFiles: string[] = [];
      const blobPaths: string[] = [];
      const blobContents: FileContent[] = [];
      const removals: string[] = [];
      let total = 0;
      for (const [path, content] of Object.entries(files)) {
        const clean = normalizeRepoPath(path);
        if (content === null) {
          removals.push(clean);
          continue;
        }
        const file = join(tmp, `blob-${blobFiles.length}`);
        await writeFile(file, content);
        total += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
        blobFiles.push(file);
        blobPaths.push(clean);
        blobContents.push(content);
      }

      const lines: string[] = [];
      if (blobFiles.length > 0) {
        // zlib level 0 only while importing big fixtures: 3.7 s -> 1 s for 100 MB, and big blobs go
        // straight to a pack anyway (bigFileThreshold).
        const speed = total > 8 * 1024 * 1024 ? ['-c', 'core.compression=0'] : [];
        const out = await gitText([...speed, 'hash-object', '-w', '--no-filters', '--stdin-paths'], {
          gitDir,
          input: blobFiles.join('\n') + '\n',
        });
        const shas = out.trim().split('\n');
        blobPaths.forEach((p, i) => lines.push(`100644 ${shas[i]}\t${p}`));
        // The contents API answers from memory for what was seeded, as GitHub answers from caches:
        // a fresh fake must not make every first read of a run spawn git (it shares the CPU with
        // the CLI under test, and the benchmark measures the CLI).
        blobPaths.forEach((_path, i) => {
          const content = blobContents[i];
          if (content !== undefined && shas[i] !== undefined) this.blobCache.set(`${gitDir}\0${shas[i]}`, Promise.resolve(typeof content === 'string' ? Buffer.from(content) : content));
        });
      }
      for (const p of removals) lines.push(`0 ${ZERO_SHA}\t${p}`);
      if (lines.length > 0) {
        await runGit(['update-index', '-z', '--index-info'], { gitDir, env, input: lines.join('\0') + '\0' });
      }
      const tree = (await gitText(['write-tree'], { gitDir, env })).trim();
      const author = opts.author ?? FIXTURE_AUTHOR;
      const committer = opts.committer ?? author;
      const pinned = this.nextPinnedDate(gitDir);
      const sha = (
        await gitText(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'], {
          gitDir,
          input: message,
          env: {
            GIT_AUTHOR_NAME: author.name,
            GIT_AUTHOR_EMAIL: author.email,
            GIT_AUTHOR_DATE: gitDate(author.date, pinned),
            GIT_COMMITTER_NAME: committer.name,
            GIT_COMMITTER_EMAIL: committer.email,
            GIT_COMMITTER_DATE: gitDate(committer.date, pinned),
          },
        })
      ).trim();
      await runGit(['update-ref', `refs/heads/${branch}`, sha, existing ?? ZERO_SHA], { gitDir });
      this.knownCommits.add(`${gitDir}\0${sha}`);
      return sha;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  private nextPinnedDate(gitDir: string): number {
    const n = this.commitCounters.get(gitDir) ?? 0;
    this.commitCounters.set(gitDir, n + 1);
    return PINNED_EPOCH + n * 60;
  }

  async branchSha(gitDir: string, branch: string): Promise<string | null> {
    if (branch.startsWith('-')) return null;
    const r = await runGit(['rev-parse', '--verify', '-q', `refs/heads/${branch}^{commit}`], { gitDir, allowFail: true });
    return r.code === 0 ? r.stdout.toString().trim() : null;
  }

  /** Branch name, tag name or (abbreviated) commit SHA, in the order GitHub tries them. */
  async resolveCommit(gitDir: string, ref: string): Promise<string | null> {
    if (!ref || ref.startsWith('-') || /[\s~^:?*[\\]/.test(ref)) return null;
    if (this.knownCommits.has(`${gitDir}\0${ref}`)) return ref;
    const candidates = [`refs/heads/${ref}`, `refs/tags/${ref}`];
    if (/^[0-9a-f]{4,40}$/i.test(ref)) candidates.push(ref);
    if (ref.startsWith('refs/')) candidates.unshift(ref);
    for (const c of candidates) {
      const r = await runGit(['rev-parse', '--verify', '-q', `${c}^{commit}`], { gitDir, allowFail: true });
      if (r.code === 0) {
        const sha = r.stdout.toString().trim();
        // A full commit id that names no branch or tag resolves to itself for good.
        if (c === ref && sha === ref) this.knownCommits.add(`${gitDir}\0${ref}`);
        return sha;
      }
    }
    return null;
  }

  async branches(gitDir: string): Promise<Map<string, string>> {
    const out = await gitText(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads'], { gitDir });
    const map = new Map<string, string>();
    for (const line of out.split('\n')) {
      const m = /^([0-9a-f]{40}) refs\/heads\/(.+)$/.exec(line);
      if (m?.[1] && m[2]) map.set(m[2], m[1]);
    }
    return map;
  }

  async lookup(gitDir: string, commit: string, path: string): Promise<TreeLookup> {
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (clean === '') return { kind: 'dir', entries: await this.lsTree(gitDir, commit, []) };
    // One listing of the parent folder per commit answers every file in it.
    const slash = clean.lastIndexOf('/');
    const self = (await this.lsTree(gitDir, commit, slash < 0 ? [] : [clean.slice(0, slash + 1)])).find((e) => e.path === clean);
    if (!self) return null;
    if (self.type !== 'tree') return { kind: 'file', entry: self };
    return { kind: 'dir', entries: await this.lsTree(gitDir, commit, [`${clean}/`]) };
  }

  /** The top-level entries of a tree-ish (commit, tree or ref), as the git trees API lists them. */
  async listTree(gitDir: string, treeish: string): Promise<{ sha: string; entries: TreeEntry[] } | null> {
    const resolved = await runGit(['rev-parse', '--verify', '-q', `${treeish}^{tree}`], { gitDir, allowFail: true });
    if (resolved.code !== 0) return null;
    const sha = resolved.stdout.toString().trim();
    return { sha, entries: await this.lsTree(gitDir, sha, []) };
  }

  private async lsTree(gitDir: string, commit: string, paths: string[]): Promise<TreeEntry[]> {
    // Objects never change: answers for a full object id are kept, as GitHub serves them from
    // caches rather than running git for every request (the benchmark measures the tool, not this fake).
    if (!/^[0-9a-f]{40}$/.test(commit)) return this.lsTreeUncached(gitDir, commit, paths);
    const key = `${gitDir}\0${commit}\0${paths.join('\0')}`;
    let entries = this.treeCache.get(key);
    if (entries === undefined) {
      entries = this.lsTreeUncached(gitDir, commit, paths);
      this.treeCache.set(key, entries);
      entries.catch(() => this.treeCache.delete(key));
    }
    return entries;
  }

  private async lsTreeUncached(gitDir: string, commit: string, paths: string[]): Promise<TreeEntry[]> {
    const out = await gitText(['ls-tree', '-z', '-l', commit, '--', ...paths], { gitDir, env: LITERAL });
    const entries: TreeEntry[] = [];
    for (const rec of out.split('\0')) {
      const m = /^(\d+) (blob|tree|commit) ([0-9a-f]{40}) +(-|\d+)\t([\s\S]+)$/.exec(rec);
      if (!m) continue;
      const p = m[5] ?? '';
      entries.push({
        mode: m[1] ?? '',
        type: m[2] as TreeEntry['type'],
        sha: m[3] ?? '',
        size: m[4] === '-' ? null : Number(m[4]),
        path: p,
        name: p.slice(p.lastIndexOf('/') + 1),
      });
    }
    return entries;
  }

  async catBlob(gitDir: string, sha: string): Promise<Buffer> {
    const key = `${gitDir}\0${sha}`;
    let blob = this.blobCache.get(key);
    if (blob === undefined) {
      blob = runGit(['cat-file', 'blob', sha], { gitDir }).then((r) => r.stdout);
      this.blobCache.set(key, blob);
      blob.catch(() => this.blobCache.delete(key));
    }
    return blob;
  }

  async readFile(gitDir: string, ref: string, path: string): Promise<Buffer | null> {
    const commit = await this.resolveCommit(gitDir, ref);
    if (!commit) return null;
    const found = await this.lookup(gitDir, commit, path);
    return found?.kind === 'file' ? this.catBlob(gitDir, found.entry.sha) : null;
  }

  async log(gitDir: string, ref: string, max?: number): Promise<CommitInfo[]> {
    const commit = await this.resolveCommit(gitDir, ref);
    if (!commit) return [];
    const fmt = '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%B';
    const out = await gitText(['log', '-z', fmt, ...(max ? [`-n${max}`] : []), commit, '--'], { gitDir });
    return out
      .split('\0')
      .filter((r) => r.length > 0)
      .map((rec) => {
        const [sha = '', parents = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', ...msg] = rec.split('\x1f');
        return {
          sha,
          parents: parents ? parents.split(' ') : [],
          author: { name: an, email: ae, date: ad },
          committer: { name: cn, email: ce, date: cd },
          message: msg.join('\x1f').replace(/\n+$/, ''),
        };
      });
  }

  async commitDetails(gitDir: string, sha: string): Promise<CommitInfo & { tree: string }> {
    const [info] = await this.log(gitDir, sha, 1);
    const tree = (await gitText(['rev-parse', `${sha}^{tree}`], { gitDir })).trim();
    if (!info) throw new Error(`fake-github: commit ${sha} vanished`);
    return { ...info, tree };
  }

  async updateRef(gitDir: string, ref: string, sha: string): Promise<void> {
    await runGit(['update-ref', ref, sha], { gitDir });
  }

  async deleteRef(gitDir: string, ref: string): Promise<boolean> {
    const r = await runGit(['rev-parse', '--verify', '-q', ref], { gitDir, allowFail: true });
    if (r.code !== 0) return false;
    await runGit(['update-ref', '-d', ref], { gitDir });
    return true;
  }

  async isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
    const r = await runGit(['merge-base', '--is-ancestor', ancestor, descendant], { gitDir, allowFail: true });
    return r.code === 0;
  }

  /** What GitHub shows on a pull request: commits in head not in base, and the three-dot diff size. */
  async diffStats(
    gitDir: string,
    base: string,
    head: string,
  ): Promise<{ commits: number; additions: number; deletions: number; changedFiles: number }> {
    const count = await runGit(['rev-list', '--count', `${base}..${head}`], { gitDir, allowFail: true });
    const diff = await runGit(['diff', '--numstat', '-z', `${base}...${head}`], { gitDir, allowFail: true });
    let additions = 0;
    let deletions = 0;
    let changedFiles = 0;
    for (const rec of diff.stdout.toString('utf8').split('\0')) {
      const m = /^(-|\d+)\t(-|\d+)\t/.exec(rec);
      if (!m) continue;
      changedFiles++;
      additions += m[1] === '-' ? 0 : Number(m[1]);
      deletions += m[2] === '-' ? 0 : Number(m[2]);
    }
    return { commits: Number(count.stdout.toString().trim()) || 0, additions, deletions, changedFiles };
  }

  async protect(gitDir: string, branch: string): Promise<void> {
    await appendFile(join(gitDir, 'fake-github-protected'), `refs/heads/${branch}\n`);
  }

  async isProtected(gitDir: string, branch: string): Promise<boolean> {
    try {
      const list = await readFile(join(gitDir, 'fake-github-protected'), 'utf8');
      return list.split('\n').includes(`refs/heads/${branch}`);
    } catch {
      return false;
    }
  }

  async destroy(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

export function normalizeRepoPath(path: string): string {
  const clean = path.replace(/\\/g, '/').replace(/^\/+/, '');
  const parts = clean.split('/');
  if (clean === '' || parts.some((p) => p === '' || p === '.' || p === '..' || p === '.git')) {
    throw new Error(`fake-github: invalid file path in fixture: ${JSON.stringify(path)}`);
  }
  return clean;
}

function gitDate(date: string | Date | undefined, pinned: number): string {
  if (date === undefined) return `@${pinned} +0000`;
  const ms = typeof date === 'string' ? Date.parse(date) : date.getTime();
  if (Number.isNaN(ms)) throw new Error(`fake-github: invalid commit date ${String(date)}`);
  return `@${Math.floor(ms / 1000)} +0000`;
}
