/** The run report: what `--json` prints (the contract's document) and what the human summary shows. */
import type { CategoryStatus } from '../sync/plan-category.js';

export type PullRequestAction = 'created' | 'updated' | 'unchanged' | 'closed' | 'conflict';

export interface PullRequestReport {
  readonly number: number | null;
  readonly url: string | null;
  readonly action: PullRequestAction;
}

export interface CategoryReport {
  readonly category: string;
  readonly files: readonly string[];
  readonly status: CategoryStatus;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly modified: readonly string[];
  readonly error: string | null;
  /** Changed field paths per modified entry; shown with --verbose and in the PR, not in --json. */
  readonly modifiedFields: Readonly<Record<string, readonly string[]>>;
}

export interface RepoReport {
  readonly repo: string;
  readonly categories: readonly CategoryReport[];
  readonly pullRequest: PullRequestReport | null;
  /** Repository-level notes for the human summary (why a PR was left alone, warnings). */
  readonly notes: readonly string[];
  /** A repository-level failure (GitHub, git); the categories carry it too. */
  readonly error: string | null;
  /** Unified diffs of the files a PR would carry (dry run with --verbose). */
  readonly diffs: readonly string[];
}

export interface RunReport {
  readonly dryRun: boolean;
  readonly repos: readonly RepoReport[];
}

/** The contract's JSON document: exactly these fields. */
export function toContractJson(report: RunReport): unknown {
  return {
    dryRun: report.dryRun,
    repos: report.repos.map((repo) => ({
      repo: repo.repo,
      categories: repo.categories.map((c) => ({
        category: c.category,
        files: c.files,
        status: c.status,
        added: c.added,
        removed: c.removed,
        modified: c.modified,
        error: c.error,
      })),
      pullRequest: repo.pullRequest,
    })),
  };
}

export function runFailed(report: RunReport): boolean {
  return report.repos.some((r) => r.error !== null || r.categories.some((c) => c.status === 'error'));
}
