/**
 * One line of run history: what a `sync` run did, small enough to keep thousands of, and built
 * only from the report and non-secret settings so no credential can end up on disk.
 */
import { createHash } from 'node:crypto';
import type { Settings } from '../config/settings.js';
import type { PullRequestReport, RunReport } from '../report/types.js';

export interface HistoryCategory {
  readonly category: string;
  readonly status: string;
  readonly added: number;
  readonly removed: number;
  readonly modified: number;
}

export interface HistoryRepo {
  readonly repo: string;
  readonly categories: readonly HistoryCategory[];
  readonly pullRequest: PullRequestReport | null;
  readonly error: string | null;
}

export interface HistoryRecord {
  /** Format version, bumped if a field changes meaning. */
  readonly v: 1;
  readonly start: string;
  readonly end: string;
  readonly durationMs: number;
  /** `sync` for a one-off run (cron, timer, by hand), `watch` for a run the watcher started. */
  readonly trigger: 'sync' | 'watch';
  readonly dryRun: boolean;
  /** Changes when any setting that shapes a run changes; equal digests mean equal settings. */
  readonly settingsDigest: string;
  /** Empty when the run failed before it got a report (lock held, crash). */
  readonly repos: readonly HistoryRepo[];
  readonly exitCode: number;
  readonly errors: readonly string[];
  /** The signal that stopped the run before it finished (SIGTERM, SIGINT); absent otherwise. */
  readonly interrupted?: string;
}

/** A digest of the settings that shape a run. The credential counts by where it came from, never by its value. */
export function settingsDigest(settings: Settings): string {
  const auth = settings.auth;
  const credential =
    auth.kind === 'none' ? 'none' : auth.kind === 'token' ? `token:${auth.source}` : `app:${auth.appId}:${auth.installationId ?? 'auto'}`;
  const shape = {
    primaryUrl: settings.primaryUrl,
    githubApiUrl: settings.githubApiUrl,
    imageRepo: settings.imageRepo.fullName,
    textRepo: settings.textRepo.fullName,
    baseBranch: settings.baseBranch,
    categories: settings.categories.map((c) => c.name),
    labels: settings.labels,
    reviewers: settings.reviewers,
    teamReviewers: settings.teamReviewers,
    minChanges: settings.minChanges,
    dryRun: settings.dryRun,
    force: settings.force,
    credential,
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 12);
}

export interface RunOutcome {
  readonly settings: Settings;
  readonly trigger: 'sync' | 'watch';
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly report: RunReport | undefined;
  readonly exitCode: number;
  /** A failure that ended the run before it had a report. */
  readonly thrown: string | undefined;
  readonly interrupted?: string;
}

export function historyRecord(outcome: RunOutcome, redact: (text: string) => string): HistoryRecord {
  const errors = new Set<string>();
  const repos = (outcome.report?.repos ?? []).map((repo): HistoryRepo => {
    if (repo.error !== null) errors.add(`${repo.repo}: ${repo.error}`);
    for (const c of repo.categories) if (c.status === 'error' && c.error !== null && c.error !== repo.error) errors.add(`${repo.repo} ${c.category}: ${c.error}`);
    return {
      repo: repo.repo,
      categories: repo.categories.map((c) => ({ category: c.category, status: c.status, added: c.added.length, removed: c.removed.length, modified: c.modified.length })),
      pullRequest: repo.pullRequest,
      error: repo.error === null ? null : redact(repo.error),
    };
  });
  if (outcome.thrown !== undefined) errors.add(outcome.thrown);
  return {
    v: 1,
    start: outcome.startedAt.toISOString(),
    end: outcome.endedAt.toISOString(),
    durationMs: outcome.endedAt.getTime() - outcome.startedAt.getTime(),
    trigger: outcome.trigger,
    dryRun: outcome.settings.dryRun,
    settingsDigest: settingsDigest(outcome.settings),
    repos,
    exitCode: outcome.exitCode,
    errors: [...errors].map(redact),
    ...(outcome.interrupted !== undefined ? { interrupted: outcome.interrupted } : {}),
  };
}
