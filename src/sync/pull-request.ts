/**
 * Keeps exactly one sync pull request per repository showing the current drift:
 * - a branch tip the tool did not make is someone's work: never pushed over or closed ("conflict");
 * - no drift → the open pull request is closed with a comment and its branch deleted ("closed");
 * - the branch already holds exactly the files this run would write → nothing pushed ("unchanged");
 * - a maintainer closed (without merging) the pull request that proposed exactly these files →
 *   not proposed again until the drift changes, unless --force ("unchanged", with a note);
 * - otherwise the branch is re-created from the base head, pushed with a lease, and the pull
 *   request created or updated.
 */
import { createHash } from 'node:crypto';
import { utf8Slices } from '../util/utf8-slices.js';
import type { Settings } from '../config/settings.js';
import type { GitHubRepoApi, PullInfo } from '../github/repo-api.js';
import { GitPushError } from '../git/push-error.js';
import type { CategoryReport, PullRequestReport } from '../report/types.js';
import type { Logger } from '../util/logger.js';
import { CLOSED_MARKER, closeComment, COMMIT_TRAILER, commitMessage, CONFLICT_MARKER, conflictComment, countsOf, pullRequestBody, syncTitle } from './pull-request-text.js';

/** What the pull-request step needs to know about one repository's plan. */
export interface RepoChange {
  readonly baseSha: string;
  readonly cloneUrl: string;
  /** Every synced file of the repository's selected categories, as read at `baseSha`. */
  readonly baseFiles: ReadonlyMap<string, string | null>;
  /** New contents of the files that change. */
  readonly writes: ReadonlyMap<string, string>;
  readonly categories: readonly CategoryReport[];
}

export interface PullRequestContext {
  readonly api: GitHubRepoApi;
  readonly settings: Settings;
  readonly log: Logger;
  readonly dryRunCommand: string;
  /** Re-plans from files read in a fresh clone, for when the base branch moved during the run. */
  readonly replan: (files: ReadonlyMap<string, string | null>, baseSha: string) => RepoChange;
  /** The sync branch's head and its open and last closed pull requests, when the caller looked them up already. */
  readonly syncState?: Promise<SyncBranchState>;
}

export interface SyncBranchState {
  readonly branchSha: string | null;
  readonly openPull: PullInfo | null;
  /** The sync pull request closed most recently without being merged. */
  readonly closedPull: PullInfo | null;
}

/** Looks up the sync branch's head and its open and last closed pull requests, all at once. */
export async function lookUpSyncState(api: GitHubRepoApi, branch: string, base: string): Promise<SyncBranchState> {
  const [branchSha, openPull, closedPull] = await Promise.all([api.getBranchSha(branch), api.findOpenPull(branch, base), api.findClosedUnmergedPull(branch, base)]);
  return { branchSha, openPull, closedPull };
}

export interface PullRequestOutcome {
  readonly pullRequest: PullRequestReport | null;
  readonly notes: readonly string[];
  /** The change that was finally pushed (differs from the input when the base moved). */
  readonly change: RepoChange;
}

const report = (pull: PullInfo, action: PullRequestReport['action']): PullRequestReport => ({ number: pull.number, url: pull.url, action });

export function isToolCommit(commit: { message: string; parents: readonly string[] }): boolean {
  return commit.parents.length === 1 && commit.message.split('\n').some((line) => line.trim() === COMMIT_TRAILER);
}

/** Git's blob id of a text, to compare files with a branch without downloading them. */
export function gitBlobSha(text: string): string {
  // Hashed a slice at a time: the bytes of a ~115 MB db.json are never all held at once.
  const hash = createHash('sha1').update(`blob ${Buffer.byteLength(text, 'utf8')}\0`);
  for (const slice of utf8Slices(text)) hash.update(slice);
  return hash.digest('hex');
}

function expectedFiles(change: RepoChange): Map<string, string | null> {
  const files = new Map(change.baseFiles);
  for (const [path, text] of change.writes) files.set(path, text);
  return files;
}

/** Blob ids of a change's files, each hashed once however many commits it is compared with. */
const hashedFiles = new WeakMap<RepoChange, Map<string, string>>();

function expectedBlobSha(change: RepoChange, path: string, text: string): string {
  let hashed = hashedFiles.get(change);
  if (hashed === undefined) hashedFiles.set(change, (hashed = new Map()));
  let sha = hashed.get(path);
  if (sha === undefined) hashed.set(path, (sha = gitBlobSha(text)));
  return sha;
}

async function branchHasFiles(api: GitHubRepoApi, branchSha: string, change: RepoChange): Promise<boolean> {
  const blobs = await api.getBlobShas(branchSha);
  for (const [path, text] of expectedFiles(change)) {
    const actual = blobs.get(path);
    if (text === null ? actual !== undefined : actual !== expectedBlobSha(change, path, text)) return false;
  }
  return true;
}

export async function syncPullRequest(ctx: PullRequestContext, initial: RepoChange): Promise<PullRequestOutcome> {
  const { api, settings, log } = ctx;
  const branch = settings.syncBranch;
  const base = settings.baseBranch;
  const notes: string[] = [];
  let change = initial;

  const state = await (ctx.syncState ?? lookUpSyncState(api, branch, base));
  let branchSha = state.branchSha;
  const openPull = state.openPull;

  const conflict = async (): Promise<PullRequestOutcome | null> => {
    if (branchSha === null) return null;
    const tip = await api.getCommit(branchSha);
    if (isToolCommit(tip)) return null;
    if (openPull !== null) {
      const comments = await api.listCommentBodies(openPull.number);
      if (!comments.some((c) => c.includes(CONFLICT_MARKER))) await api.comment(openPull.number, conflictComment(branch));
      notes.push(`${branch} carries a commit horde-model-sync did not make: pull request #${openPull.number} is left alone until it is merged or closed`);
      return { pullRequest: report(openPull, 'conflict'), notes, change };
    }
    notes.push(`${branch} carries a commit horde-model-sync did not make and has no open pull request: left alone; delete the branch to resume syncing`);
    return { pullRequest: { number: null, url: null, action: 'conflict' }, notes, change };
  };
  const conflicted = await conflict();
  if (conflicted) return conflicted;

  const failedCategories = change.categories.filter((c) => c.status === 'error' || c.status === 'skipped').map((c) => c.category);
  const leaveAlone = (why: string): PullRequestOutcome => {
    notes.push(why);
    return { pullRequest: openPull ? report(openPull, 'unchanged') : null, notes, change };
  };

  const closeIfOpen = async (): Promise<PullRequestOutcome> => {
    if (failedCategories.length > 0) {
      return leaveAlone(`no drift in the categories read, but ${failedCategories.join(', ')} could not be checked: the sync pull request is left as it is`);
    }
    if (openPull !== null) {
      await api.comment(openPull.number, closeComment(base));
      await api.updatePull(openPull.number, { state: 'closed' });
      await api.deleteBranch(branch);
      log.detail(`closed #${openPull.number} and deleted ${branch}: no drift left`);
      return { pullRequest: report(openPull, 'closed'), notes, change };
    }
    if (branchSha !== null) await api.deleteBranch(branch); // a leftover of the tool's own
    return { pullRequest: null, notes, change };
  };

  if (change.writes.size === 0) return closeIfOpen();

  const counts = countsOf(change.categories);
  const total = counts.added + counts.removed + counts.modified;
  if (total < settings.minChanges && !settings.force) {
    return leaveAlone(`${total} changed entries, below --min-changes ${settings.minChanges}: no pull request opened or updated (use --force to sync anyway)`);
  }
  if (failedCategories.length > 0 && openPull !== null) {
    return leaveAlone(`${failedCategories.join(', ')} failed this run, so pull request #${openPull.number} is left as it is rather than dropping their changes`);
  }

  if (openPull === null && !settings.force) {
    const declined = state.closedPull !== null ? await declinedPull(api, state.closedPull, change) : null;
    if (declined !== null) {
      notes.push(
        `pull request #${declined.number} proposed exactly this drift and was closed without merging: it is not proposed again until the drift changes (reopen #${declined.number}, or run with --force)`,
      );
      return { pullRequest: report(declined, 'unchanged'), notes, change };
    }
  }

  const upToDate = branchSha !== null && (await branchHasFiles(api, branchSha, change));
  if (!upToDate) {
    const pushed = await pushWithRetry(ctx, change, branchSha);
    if (pushed === 'no-drift') {
      change = { ...change, writes: new Map() };
      branchSha = await api.getBranchSha(branch);
      return closeIfOpen();
    }
    change = pushed.change;
    branchSha = pushed.sha;
  }

  const title = syncTitle(change.categories);
  const body = pullRequestBody(change.categories, { dryRunCommand: ctx.dryRunCommand, baseBranch: base });
  if (openPull !== null) {
    if (upToDate && openPull.title === title && openPull.body === body) return { pullRequest: report(openPull, 'unchanged'), notes, change };
    const updated = await api.updatePull(openPull.number, { title, body });
    await api.addLabels(updated.number, settings.labels);
    return { pullRequest: report(updated, 'updated'), notes, change };
  }
  const { pull, adopted } = await api.createPull({ title, body, head: branch, base });
  if (adopted) await api.updatePull(pull.number, { title, body });
  const [, reviewerProblems] = await Promise.all([api.addLabels(pull.number, settings.labels), api.requestReviewers(pull.number, settings.reviewers, settings.teamReviewers)]);
  for (const problem of reviewerProblems) {
    log.warn(problem);
    notes.push(problem);
  }
  return { pullRequest: report(pull, adopted ? 'updated' : 'created'), notes, change };
}

/**
 * The sync pull request a maintainer closed without merging, when its head holds exactly the files
 * this run would write: proposing them again every hour would be the spam this tool exists to end.
 * One closed by the tool itself (no drift left, `CLOSED_MARKER`) or carrying someone else's commit
 * does not count.
 */
async function declinedPull(api: GitHubRepoApi, closed: PullInfo, change: RepoChange): Promise<PullInfo | null> {
  if (!(await branchHasFiles(api, closed.headSha, change))) return null;
  const [tip, comments] = await Promise.all([api.getCommit(closed.headSha), api.listCommentBodies(closed.number)]);
  if (!isToolCommit(tip) || comments.some((c) => c.includes(CLOSED_MARKER))) return null;
  return closed;
}

/** Clones, commits and pushes; on a lease failure (someone moved the branch) tries once more. */
async function pushWithRetry(
  ctx: PullRequestContext,
  change: RepoChange,
  branchSha: string | null,
): Promise<{ sha: string; change: RepoChange } | 'no-drift'> {
  try {
    return await pushOnce(ctx, change, branchSha);
  } catch (error) {
    if (!(error instanceof GitPushError) || error.kind !== 'stale') throw error;
    ctx.log.warn(`${ctx.settings.syncBranch} moved while this run worked; trying once more from the new state`);
    const freshSha = await ctx.api.getBranchSha(ctx.settings.syncBranch);
    if (freshSha !== null && !isToolCommit(await ctx.api.getCommit(freshSha))) throw error;
    return pushOnce(ctx, change, freshSha);
  }
}

async function pushOnce(ctx: PullRequestContext, initial: RepoChange, branchSha: string | null): Promise<{ sha: string; change: RepoChange } | 'no-drift'> {
  const { settings } = ctx;
  const paths = [...initial.baseFiles.keys()];
  // simple-git is loaded only by runs that push: dry runs and unchanged re-runs never need it.
  const { GitWorkspace } = await import('../git/workspace.js');
  const workspace = await GitWorkspace.clone(
    { cloneUrl: initial.cloneUrl, baseBranch: settings.baseBranch, token: await ctx.api.gitToken(), retryDelayMs: settings.retryDelayMs, paths },
    { author: settings.author, committer: settings.committer },
  );
  try {
    let change = initial;
    if (workspace.headSha !== initial.baseSha) {
      // The base branch moved after its files were read: plan again from the new base commit.
      const files = new Map<string, string | null>();
      for (const path of paths) files.set(path, await workspace.readFile(path));
      change = ctx.replan(files, workspace.headSha);
      if (change.writes.size === 0) return 'no-drift';
    }
    const sha = await workspace.commitAndPush(
      {
        branch: settings.syncBranch,
        message: commitMessage(change.categories),
        identity: { author: settings.author, committer: settings.committer },
        expectedRemoteSha: branchSha,
      },
      change.writes,
    );
    return { sha, change };
  } finally {
    workspace.dispose();
  }
}
