import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin } from './admin.js';
import { Credentials, type AppSpec, type TokenSpec } from './auth.js';
import { FaultStore, type FaultHandle, type FaultSpec } from './faults.js';
import type { ChildProcess } from 'node:child_process';
import { GitStore, type CommitInfo, type FileContent, type GitIdentity } from './git-store.js';
import type { Services } from './http.js';
import { RateLimiter, type RateLimits } from './rate-limit.js';
import { appRoutes } from './routes/apps.js';
import { issueRoutes } from './routes/issues.js';
import { pullRoutes } from './routes/pulls.js';
import { repoRoutes } from './routes/repos.js';
import { reviewerRoutes } from './routes/reviewers.js';
import { userRoutes } from './routes/users.js';
import { createHandler, type RequestLogEntry, type UnhandledRequest } from './server.js';
import { DEFAULT_LABELS, repoKey, World, type Permission, type RepoRecord } from './state.js';

export { generateAppKeyPair, type AppKeyPair } from './app-keys.js';
export type { AppSpec, InstallationSpec, TokenSpec } from './auth.js';
export type { FaultHandle, FaultSpec, FaultType } from './faults.js';
export type { CommitInfo, FileContent, GitIdentity } from './git-store.js';
export type { RequestLogEntry, UnhandledRequest } from './server.js';
export type { Permission } from './state.js';

export interface FakeGitHubOptions {
  /** Default 0 (an ephemeral port on 127.0.0.1). */
  port?: number;
  clockSkewSec?: number;
  /** Requests per hour: 5000 authenticated and 60 anonymous, as on github.com. */
  rateLimits?: Partial<RateLimits>;
}

export interface CreateRepoOptions {
  private?: boolean;
  defaultBranch?: string;
  description?: string;
  /** GitHub seeds new repositories with 9 labels (bug, documentation, …); default true. */
  defaultLabels?: boolean;
  message?: string;
  author?: GitIdentity;
}

export interface RepoInfo {
  owner: string;
  name: string;
  fullName: string;
  cloneUrl: string;
  defaultBranch: string;
  /** null for an empty repository (no files given). */
  headSha: string | null;
}

export interface CommentSnapshot {
  id: number;
  issue: number;
  body: string;
  user: string;
  createdAt: string;
}

export interface LabelSnapshot {
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface PullSnapshot {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  head: string;
  headSha: string;
  base: string;
  labels: string[];
  requestedReviewers: string[];
  /** Team slugs. */
  requestedTeams: string[];
  user: string;
  draft: boolean;
  comments: CommentSnapshot[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface FakeGitHub {
  /** Git origin and web root, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** `${url}/api/v3`, the GitHub Enterprise Server layout: pass it as Octokit's baseUrl. */
  readonly apiUrl: string;
  readonly port: number;
  readonly requests: readonly RequestLogEntry[];
  /** Requests no route answered; tests should assert this stays empty. */
  readonly unhandledRequests: readonly UnhandledRequest[];
  /** Exceptions inside the fake itself (a bug in the fake, not in the code under test). */
  readonly serverErrors: readonly string[];
  /** Server clock offset in seconds (Date header, JWT iat/exp checks, token expiry). */
  clockSkewSec: number;

  createRepo(owner: string, name: string, files: Record<string, FileContent>, opts?: CreateRepoOptions): Promise<RepoInfo>;
  /** A commit on `branch` (created from the default branch when missing); `null` deletes a path. */
  commitFiles(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, FileContent | null>,
    message: string,
    author?: GitIdentity,
  ): Promise<string>;
  readFile(owner: string, name: string, ref: string, path: string): Promise<string | null>;
  readFileBytes(owner: string, name: string, ref: string, path: string): Promise<Buffer | null>;
  branchSha(owner: string, name: string, branch: string): Promise<string | null>;
  listBranches(owner: string, name: string): Promise<string[]>;
  log(owner: string, name: string, ref: string, max?: number): Promise<CommitInfo[]>;
  /** Pushes to it fail with GitHub's GH006 text; the API refuses to delete it. */
  protectBranch(owner: string, name: string, branch: string): Promise<void>;

  addToken(token: string, spec: TokenSpec): void;
  revokeToken(token: string): void;
  /** Makes an installation token expire now. */
  expireToken(token: string): void;
  addApp(spec: AppSpec): void;
  /** A known user who is not necessarily a collaborator (reviewer requests for them fail). */
  addUser(login: string, type?: 'User' | 'Bot'): void;
  addCollaborator(owner: string, name: string, login: string, permission?: Permission): void;
  addTeam(org: string, slug: string, name?: string): void;

  injectFault(spec: FaultSpec): FaultHandle;
  clearFaults(): void;

  pulls(owner: string, name: string): PullSnapshot[];
  comments(owner: string, name: string, issue?: number): CommentSnapshot[];
  labels(owner: string, name: string): LabelSnapshot[];
  /** Empties `requests`, `unhandledRequests` and `serverErrors`. */
  resetLog(): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const world = new World();
  world.clockSkewSec = options.clockSkewSec ?? 0;
  const store = await GitStore.create();
  const creds = new Credentials(world);
  const faults = new FaultStore();
  const limiter = new RateLimiter(
    { authenticated: options.rateLimits?.authenticated ?? 5000, anonymous: options.rateLimits?.anonymous ?? 60 },
    () => Math.floor(world.nowMs() / 1000),
  );
  const log: RequestLogEntry[] = [];
  const unhandled: UnhandledRequest[] = [];
  const serverErrors: string[] = [];
  const children = new Set<ChildProcess>();
  const urls = { web: '', api: '' };

  const svc: Services = { world, store, creds, urls, refsChanged };
  const routes = [
    ...repoRoutes,
    ...pullRoutes,
    ...reviewerRoutes,
    ...issueRoutes,
    ...appRoutes,
    ...userRoutes((key, anonymous) => limiter.peek(key, anonymous)),
  ];

  /** GitHub moves refs/pull/N/head with the branch and closes a PR whose head or base branch is deleted. */
  async function refsChanged(repo: RepoRecord): Promise<void> {
    const branches = await store.branches(repo.gitDir);
    const now = world.isoNow();
    for (const pr of repo.pulls.values()) {
      if (pr.state !== 'open') continue;
      const head = branches.get(pr.headRef);
      if (!head || !branches.has(pr.baseRef)) {
        pr.state = 'closed';
        pr.closedAt = now;
        pr.updatedAt = now;
        continue;
      }
      if (head !== pr.headSha) {
        pr.headSha = head;
        pr.updatedAt = now;
        await store.updateRef(repo.gitDir, `refs/pull/${pr.number}/head`, head);
      }
    }
  }

  const mustRepo = (owner: string, name: string): RepoRecord => {
    const repo = world.repo(owner, name);
    if (!repo) throw new Error(`fake-github: no repository ${owner}/${name} (call createRepo first)`);
    return repo;
  };

  const commentSnap = (repo: RepoRecord, issue?: number): CommentSnapshot[] =>
    repo.comments
      .filter((c) => issue === undefined || c.issue === issue)
      .map((c) => ({ id: c.id, issue: c.issue, body: c.body, user: c.user.login, createdAt: c.createdAt }));

  const pullsSnap = (repo: RepoRecord): PullSnapshot[] =>
    [...repo.pulls.values()].map((p) => ({
      number: p.number,
      state: p.state,
      title: p.title,
      body: p.body,
      head: p.headRef,
      headSha: p.headSha,
      base: p.baseRef,
      labels: p.labels.map((k) => repo.labels.get(k)?.name ?? k),
      requestedReviewers: p.requestedReviewers.map((u) => u.login),
      requestedTeams: p.requestedTeams.map((t) => t.slug),
      user: p.user.login,
      draft: p.draft,
      comments: commentSnap(repo, p.number),
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      closedAt: p.closedAt,
    }));

  const labelsSnap = (repo: RepoRecord): LabelSnapshot[] =>
    [...repo.labels.values()].map((l) => ({ name: l.name, color: l.color, description: l.description, default: l.default }));

  async function snapshot() {
    const repos = [];
    for (const repo of world.repos.values()) {
      repos.push({
        fullName: repo.fullName,
        private: repo.private,
        defaultBranch: repo.defaultBranch,
        branches: Object.fromEntries(await store.branches(repo.gitDir)),
        pulls: pullsSnap(repo),
        labels: labelsSnap(repo),
      });
    }
    return { url: urls.web, apiUrl: urls.api, clockSkewSec: world.clockSkewSec, repos, requests: log, unhandledRequests: unhandled, serverErrors, faults: faults.summary() };
  }

  const server = createServer(
    createHandler({
      svc,
      faults,
      limiter,
      routes,
      log,
      unhandled,
      serverErrors,
      children,
      admin: createAdmin({ faults, world, snapshot }),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  urls.web = `http://127.0.0.1:${port}`;
  urls.api = `${urls.web}/api/v3`;

  let closed: Promise<void> | undefined;

  const gh: FakeGitHub = {
    url: urls.web,
    apiUrl: urls.api,
    port,
    requests: log,
    unhandledRequests: unhandled,
    serverErrors,
    get clockSkewSec() {
      return world.clockSkewSec;
    },
    set clockSkewSec(v: number) {
      world.clockSkewSec = v;
    },

    async createRepo(owner, name, files, opts = {}) {
      if (world.repo(owner, name)) throw new Error(`fake-github: ${owner}/${name} already exists`);
      const defaultBranch = opts.defaultBranch ?? 'main';
      const gitDir = store.gitDir(owner, name);
      await store.initBare(gitDir, defaultBranch);
      const headSha =
        Object.keys(files).length > 0
          ? await store.commit(gitDir, defaultBranch, files, opts.message ?? 'Initial commit', { author: opts.author })
          : null;
      const now = world.isoNow();
      const repo: RepoRecord = {
        id: world.newId(),
        owner: world.ensureUser(owner, 'Organization'),
        name,
        fullName: `${owner}/${name}`,
        private: opts.private ?? false,
        description: opts.description ?? null,
        defaultBranch,
        gitDir,
        createdAt: now,
        updatedAt: now,
        pushedAt: now,
        labels: new Map(),
        pulls: new Map(),
        comments: [],
        collaborators: new Map(),
        nextNumber: 1,
      };
      if (opts.defaultLabels !== false) {
        for (const l of DEFAULT_LABELS) repo.labels.set(l.name.toLowerCase(), { ...l, id: world.newId(), default: true });
      }
      world.repos.set(repoKey(owner, name), repo);
      return { owner, name, fullName: repo.fullName, cloneUrl: `${urls.web}/${repo.fullName}.git`, defaultBranch, headSha };
    },

    async commitFiles(owner, name, branch, files, message, author) {
      const repo = mustRepo(owner, name);
      const sha = await store.commit(repo.gitDir, branch, files, message, { author, startPoint: repo.defaultBranch });
      repo.pushedAt = world.isoNow();
      await refsChanged(repo);
      return sha;
    },

    async readFile(owner, name, ref, path) {
      const bytes = await store.readFile(mustRepo(owner, name).gitDir, ref, path);
      return bytes === null ? null : bytes.toString('utf8');
    },
    readFileBytes: (owner, name, ref, path) => store.readFile(mustRepo(owner, name).gitDir, ref, path),
    branchSha: (owner, name, branch) => store.branchSha(mustRepo(owner, name).gitDir, branch),
    async listBranches(owner, name) {
      return [...(await store.branches(mustRepo(owner, name).gitDir)).keys()].sort();
    },
    log: (owner, name, ref, max) => store.log(mustRepo(owner, name).gitDir, ref, max),
    protectBranch: (owner, name, branch) => store.protect(mustRepo(owner, name).gitDir, branch),

    addToken: (token, spec) => void creds.addToken(token, spec),
    revokeToken: (token) => creds.revokeToken(token),
    expireToken: (token) => creds.expireToken(token),
    addApp: (spec) => void creds.addApp(spec),
    addUser: (login, type = 'User') => void world.ensureUser(login, type),
    addCollaborator(owner, name, login, permission = 'write') {
      world.ensureUser(login, 'User');
      mustRepo(owner, name).collaborators.set(login.toLowerCase(), permission);
    },
    addTeam: (org, slug, teamName) => {
      world.ensureUser(org, 'Organization');
      world.addTeam(org, slug, teamName);
    },

    injectFault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),

    pulls: (owner, name) => pullsSnap(mustRepo(owner, name)),
    comments: (owner, name, issue) => commentSnap(mustRepo(owner, name), issue),
    labels: (owner, name) => labelsSnap(mustRepo(owner, name)),
    resetLog() {
      log.length = 0;
      unhandled.length = 0;
      serverErrors.length = 0;
    },

    close() {
      closed ??= (async () => {
        for (const child of children) child.kill('SIGKILL');
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.destroy();
      })();
      return closed;
    },
  };
  return gh;
}
