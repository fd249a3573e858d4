/**
 * Everything the sync asks of GitHub about one repository, behind one small interface so the
 * planner and the pull-request logic never see Octokit. The implementation talks REST through
 * the plugin stack of `octokit.ts`; tests point it at the loopback fake GitHub.
 */
import type { RepoRef } from '../config/settings.js';
import type { SyncOctokit } from './octokit.js';
import { GitHubApiError, toGitHubError } from './errors.js';
import { ByteBuffer } from '../util/byte-buffer.js';

/**
 * A response body as UTF-8 text, gathered as the chunks arrive and decoded once (`ByteBuffer`). A
 * byte order mark is kept: it is part of the file, and the writers keep it too. Undefined when
 * fewer bytes came than the response declared (an unencoded body's Content-Length): a cut file
 * must never pass for the whole one.
 */
async function decodeUtf8Stream(body: AsyncIterable<Uint8Array> | null, headers: Record<string, unknown>): Promise<string | undefined> {
  const encoding = headers['content-encoding'];
  const length = headers['content-length'];
  const declared = length !== undefined && (encoding === undefined || encoding === 'identity') ? Number(length) : NaN;
  const bytes = new ByteBuffer(declared);
  for await (const chunk of body ?? []) bytes.append(chunk);
  return Number.isNaN(declared) || bytes.size === declared ? bytes.utf8Text() : undefined;
}

export interface RepositoryInfo {
  readonly cloneUrl: string;
  readonly defaultBranch: string;
  readonly private: boolean;
  /** Whether the credential may push; undefined when GitHub did not say (anonymous). */
  readonly canPush: boolean | undefined;
}

export interface CommitInfo {
  readonly sha: string;
  readonly message: string;
  readonly parents: readonly string[];
}

export interface PullInfo {
  readonly number: number;
  readonly url: string;
  readonly title: string;
  readonly body: string;
  readonly headSha: string;
  readonly labels: readonly string[];
}

export interface GitHubRepoApi {
  readonly repo: RepoRef;
  getRepository(): Promise<RepositoryInfo>;
  /** Head commit of a branch, or null when the branch does not exist. */
  getBranchSha(branch: string): Promise<string | null>;
  /** A file's text at a ref, or null when the file does not exist there. */
  readFile(ref: string, path: string): Promise<string | null>;
  getCommit(sha: string): Promise<CommitInfo>;
  /** Git blob ids of the top-level files of a commit, by path. */
  getBlobShas(commitSha: string): Promise<Map<string, string>>;
  findOpenPull(head: string, base: string): Promise<PullInfo | null>;
  /** The pull request from `head` into `base` closed most recently without being merged, or null. */
  findClosedUnmergedPull(head: string, base: string): Promise<PullInfo | null>;
  createPull(input: { title: string; body: string; head: string; base: string }): Promise<{ pull: PullInfo; adopted: boolean }>;
  updatePull(number: number, input: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<PullInfo>;
  addLabels(number: number, labels: readonly string[]): Promise<void>;
  requestReviewers(number: number, reviewers: readonly string[], teams: readonly string[]): Promise<string[]>;
  listCommentBodies(number: number): Promise<string[]>;
  comment(number: number, body: string): Promise<void>;
  deleteBranch(branch: string): Promise<void>;
  /** A token git can use for this repository (installation token for Apps), or undefined. */
  gitToken(): Promise<string | undefined>;
}

interface PullData {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  head: { sha: string };
  labels?: ({ name?: string } | string)[];
}

function toPull(data: PullData): PullInfo {
  return {
    number: data.number,
    url: data.html_url,
    title: data.title,
    body: data.body ?? '',
    headSha: data.head.sha,
    labels: (data.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
  };
}

export class OctokitRepoApi implements GitHubRepoApi {
  constructor(
    private readonly octokit: SyncOctokit,
    readonly repo: RepoRef,
    private readonly credential: string,
    private readonly tokenProvider: () => Promise<string | undefined>,
  ) {}

  private async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toGitHubError(error, { action, credential: this.credential, repo: this.repo.fullName });
    }
  }

  private get coords(): { owner: string; repo: string } {
    return { owner: this.repo.owner, repo: this.repo.name };
  }

  getRepository(): Promise<RepositoryInfo> {
    return this.call(`reading repository ${this.repo.fullName}`, async () => {
      const { data } = await this.octokit.rest.repos.get(this.coords);
      return {
        cloneUrl: data.clone_url,
        defaultBranch: data.default_branch,
        private: data.private,
        canPush: data.permissions?.push,
      };
    });
  }

  async getBranchSha(branch: string): Promise<string | null> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.coords, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw toGitHubError(error, { action: `reading branch ${branch} of ${this.repo.fullName}`, credential: this.credential, repo: this.repo.fullName });
    }
  }

  async readFile(ref: string, path: string): Promise<string | null> {
    try {
      // The body is taken as a stream into one buffer: Octokit's own reading would hold a ~115 MB
      // db.json three times at once (the chunks, their concatenation, the string).
      const response = await this.octokit.rest.repos.getContent({
        ...this.coords,
        path,
        ref,
        mediaType: { format: 'raw' },
        request: { parseSuccessResponseBody: false },
      });
      const text = await decodeUtf8Stream(response.data as unknown as AsyncIterable<Uint8Array> | null, response.headers);
      // Directories do not support the raw media type: GitHub answers with their JSON listing.
      if (/^application\/json\b/i.test(String(response.headers['content-type'] ?? ''))) {
        throw new GitHubApiError(`reading ${path} from ${this.repo.fullName}@${ref}: GitHub did not return the raw file (is ${path} a directory?)`, undefined);
      }
      if (text === undefined) {
        throw new GitHubApiError(`reading ${path} from ${this.repo.fullName}@${ref}: the answer was cut short; run again`, undefined);
      }
      return text;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw toGitHubError(error, { action: `reading ${path} from ${this.repo.fullName}@${ref}`, credential: this.credential, repo: this.repo.fullName });
    }
  }

  getCommit(sha: string): Promise<CommitInfo> {
    return this.call(`reading commit ${sha} of ${this.repo.fullName}`, async () => {
      const { data } = await this.octokit.rest.git.getCommit({ ...this.coords, commit_sha: sha });
      return { sha: data.sha, message: data.message, parents: data.parents.map((p) => p.sha) };
    });
  }

  getBlobShas(commitSha: string): Promise<Map<string, string>> {
    return this.call(`reading the file list of ${this.repo.fullName}@${commitSha}`, async () => {
      const { data } = await this.octokit.rest.git.getTree({ ...this.coords, tree_sha: commitSha });
      const blobs = new Map<string, string>();
      for (const entry of data.tree) if (entry.type === 'blob' && entry.path && entry.sha) blobs.set(entry.path, entry.sha);
      return blobs;
    });
  }

  findOpenPull(head: string, base: string): Promise<PullInfo | null> {
    return this.call(`looking for the open sync pull request in ${this.repo.fullName}`, async () => {
      // `head` must be owner:branch: GitHub ignores a bare branch name and lists every PR.
      const { data } = await this.octokit.rest.pulls.list({ ...this.coords, head: `${this.repo.owner}:${head}`, base, state: 'open', per_page: 10 });
      const match = data.find((p) => p.head.ref === head);
      return match ? toPull(match as PullData) : null;
    });
  }

  findClosedUnmergedPull(head: string, base: string): Promise<PullInfo | null> {
    return this.call(`looking for a closed sync pull request in ${this.repo.fullName}`, async () => {
      const { data } = await this.octokit.rest.pulls.list({
        ...this.coords,
        head: `${this.repo.owner}:${head}`,
        base,
        state: 'closed',
        sort: 'updated',
        direction: 'desc',
        per_page: 10,
      });
      const match = data.find((p) => p.head.ref === head && p.merged_at === null);
      return match ? toPull(match as PullData) : null;
    });
  }

  async createPull(input: { title: string; body: string; head: string; base: string }): Promise<{ pull: PullInfo; adopted: boolean }> {
    try {
      const { data } = await this.octokit.rest.pulls.create({ ...this.coords, ...input });
      return { pull: toPull(data as PullData), adopted: false };
    } catch (error) {
      // Another run (or a lagging list) created it first: adopt that pull request.
      const text = JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? '');
      if ((error as { status?: number }).status === 422 && /already exists/i.test(text)) {
        const existing = await this.findOpenPull(input.head, input.base);
        if (existing) return { pull: existing, adopted: true };
      }
      throw toGitHubError(error, { action: `opening the sync pull request in ${this.repo.fullName}`, credential: this.credential, repo: this.repo.fullName });
    }
  }

  updatePull(number: number, input: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<PullInfo> {
    return this.call(`updating pull request #${number} of ${this.repo.fullName}`, async () => {
      const { data } = await this.octokit.rest.pulls.update({ ...this.coords, pull_number: number, ...input });
      return toPull(data as PullData);
    });
  }

  addLabels(number: number, labels: readonly string[]): Promise<void> {
    if (labels.length === 0) return Promise.resolve();
    return this.call(`labelling pull request #${number} of ${this.repo.fullName}`, async () => {
      // GitHub creates labels that do not exist yet when they are added to an issue.
      await this.octokit.rest.issues.addLabels({ ...this.coords, issue_number: number, labels: [...labels] });
    });
  }

  async requestReviewers(number: number, reviewers: readonly string[], teams: readonly string[]): Promise<string[]> {
    if (reviewers.length === 0 && teams.length === 0) return [];
    try {
      await this.octokit.rest.pulls.requestReviewers({ ...this.coords, pull_number: number, reviewers: [...reviewers], team_reviewers: [...teams] });
      return [];
    } catch (error) {
      // A reviewer who cannot be requested must not fail the sync: report it and go on.
      const wrapped = toGitHubError(error, { action: `requesting reviewers on #${number}`, credential: this.credential, repo: this.repo.fullName });
      return [wrapped.message];
    }
  }

  listCommentBodies(number: number): Promise<string[]> {
    return this.call(`reading comments of #${number} in ${this.repo.fullName}`, async () => {
      const { data } = await this.octokit.rest.issues.listComments({ ...this.coords, issue_number: number, per_page: 100 });
      return data.map((c) => c.body ?? '');
    });
  }

  comment(number: number, body: string): Promise<void> {
    return this.call(`commenting on #${number} in ${this.repo.fullName}`, async () => {
      await this.octokit.rest.issues.createComment({ ...this.coords, issue_number: number, body });
    });
  }

  async deleteBranch(branch: string): Promise<void> {
    try {
      await this.octokit.rest.git.deleteRef({ ...this.coords, ref: `heads/${branch}` });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 422 || status === 404) return; // already gone
      throw toGitHubError(error, { action: `deleting branch ${branch} of ${this.repo.fullName}`, credential: this.credential, repo: this.repo.fullName });
    }
  }

  gitToken(): Promise<string | undefined> {
    return this.tokenProvider();
  }
}
