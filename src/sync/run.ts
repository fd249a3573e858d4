/**
 * One sync run: read PRIMARY and every repository concurrently, plan each repository, then either
 * stop (dry run) or bring its sync pull request in line. A failing category or repository never
 * stops the others; the report says what happened to each.
 */
import type { CategoryDefinition } from '../categories.js';
import type { RepoRef, Settings } from '../config/settings.js';
import { errorMessage } from '../errors.js';
import { indexTopLevelObject, type TopLevelIndex } from '../formats/json/top-level.js';
import type { GitHubRepoApi } from '../github/repo-api.js';
import type { PrimaryResponse, PrimarySource } from '../primary/client.js';
import type { CategoryReport, RepoReport, RunReport } from '../report/types.js';
import type { Logger } from '../util/logger.js';
import { startConcurrent } from '../util/retry.js';
import { filesOfCategories, planRepo } from './plan-repo.js';
import { lookUpSyncState, syncPullRequest, type RepoChange, type SyncBranchState } from './pull-request.js';

export interface SyncServices {
  readonly primary: PrimarySource;
  readonly openRepo: (repo: RepoRef) => Promise<GitHubRepoApi>;
  readonly log: Logger;
}

interface RepoTarget {
  readonly repo: RepoRef;
  readonly categories: readonly CategoryDefinition[];
}

export function repoTargets(settings: Settings): RepoTarget[] {
  const targets: RepoTarget[] = [];
  for (const [role, repo] of [
    ['image', settings.imageRepo],
    ['text', settings.textRepo],
  ] as const) {
    const categories = settings.categories.filter((c) => c.repo === role);
    if (categories.length > 0) targets.push({ repo, categories });
  }
  return targets;
}

/** The command that previews the same drift, for the pull request body. */
export function dryRunCommand(settings: Settings, target: RepoTarget): string {
  const parts = ['npx horde-model-sync --dry-run --verbose'];
  if (settings.primaryUrl !== 'https://models.aihorde.net/api') parts.push(`--primary-url ${settings.primaryUrl}`);
  const repoFlag = target.categories[0]?.repo === 'image' ? '--image-repo' : '--text-repo';
  parts.push(`${repoFlag} ${target.repo.fullName}`);
  if (settings.baseBranch !== 'main') parts.push(`--base-branch ${settings.baseBranch}`);
  parts.push(`--categories ${target.categories.map((c) => c.name).join(',')}`);
  return parts.join(' ');
}

/**
 * A repository-level failure. Before planning, every category is unknown (error). After planning,
 * the failure belongs to the pull-request step: the categories that had changes carry it (or all
 * of them when none had), and the others keep their real status.
 */
function failedReport(target: RepoTarget, message: string, planned?: readonly CategoryReport[]): RepoReport {
  const anyChanged = planned?.some((c) => c.status === 'changed') ?? false;
  const categories: CategoryReport[] = target.categories.map((category) => {
    const known = planned?.find((c) => c.category === category.name);
    if (known !== undefined && known.status !== 'changed' && (anyChanged || known.status === 'error')) return known;
    return {
      category: category.name,
      files: category.files,
      status: 'error',
      added: known?.added ?? [],
      removed: known?.removed ?? [],
      modified: known?.modified ?? [],
      modifiedFields: known?.modifiedFields ?? {},
      error: known?.error != null ? `${known.error}; ${message}` : message,
    };
  });
  return { repo: target.repo.fullName, categories, pullRequest: null, notes: [], error: message, diffs: [] };
}

async function unifiedDiffs(change: RepoChange): Promise<string[]> {
  const { createTwoFilesPatch } = await import('diff');
  return [...change.writes].map(([path, text]) => createTwoFilesPatch(`a/${path}`, `b/${path}`, change.baseFiles.get(path) ?? '', text, '', '', { context: 3 }));
}

export async function runSync(settings: Settings, services: SyncServices): Promise<RunReport> {
  const targets = repoTargets(settings);
  // PRIMARY is read once per category, all at once and concurrently with the repositories; the
  // two large bodies go first so they never wait behind the small ones. Each repository is planned
  // as soon as its own categories are in: the image repository's planning then overlaps the
  // download of text_generation, the largest body.
  const allCategories = targets.flatMap((t) => t.categories).sort((a, b) => Number(b.large === true) - Number(a.large === true));
  const responses = startConcurrent(allCategories, 10, (c) => services.primary.fetchCategory(c.name));
  const primaryOf = new Map<string, Promise<PrimaryResponse>>();
  const indexedAhead: TopLevelIndex[] = [];
  allCategories.forEach((c, i) => {
    const response = responses[i] as Promise<PrimaryResponse>;
    // A repository that fails before reading its categories never awaits them.
    response.catch(() => undefined);
    if (c.large === true) indexAhead(response, indexedAhead);
    primaryOf.set(c.name, response);
  });
  const primaryFor = (target: RepoTarget) => {
    const responsesOfRepo = Promise.all(target.categories.map(async (c) => [c.name, await (primaryOf.get(c.name) as Promise<PrimaryResponse>)] as const)).then(
      (entries) => new Map<string, PrimaryResponse>(entries),
    );
    responsesOfRepo.catch(() => undefined);
    return responsesOfRepo;
  };
  const repos = await Promise.all(targets.map((target) => syncRepo(settings, services, target, primaryFor(target))));
  indexedAhead.length = 0;
  return { dryRun: settings.dryRun, repos };
}

/**
 * Indexes a large PRIMARY body as soon as it arrives. A run spends that time waiting for the
 * repositories' files anyway (db.json is the largest), and planning then finds the index among
 * the recent ones `indexTopLevelObject` keeps while someone holds them (here: until the run ends).
 * A body that does not index is left for planning to report.
 */
function indexAhead(response: Promise<PrimaryResponse>, held: TopLevelIndex[]): void {
  response.then(
    (r) => {
      if (r.kind !== 'ok') return;
      try {
        held.push(indexTopLevelObject(r.body));
      } catch {
        // planning says what is wrong with it
      }
    },
    () => undefined,
  );
}

async function syncRepo(settings: Settings, services: SyncServices, target: RepoTarget, primaryOfRepo: Promise<Map<string, PrimaryResponse>>): Promise<RepoReport> {
  const { log } = services;
  let change: RepoChange | undefined;
  try {
    const api = await services.openRepo(target.repo);
    // A sync run needs the sync branch's state whatever the plan says; asking while the files
    // download keeps that round trip off the way from plan to push.
    let syncState: Promise<SyncBranchState> | undefined;
    if (!settings.dryRun) {
      syncState = lookUpSyncState(api, settings.syncBranch, settings.baseBranch);
      syncState.catch(() => undefined);
    }
    const [info, baseSha] = await Promise.all([api.getRepository(), api.getBranchSha(settings.baseBranch)]);
    if (baseSha === null) {
      throw new Error(`branch ${settings.baseBranch} was not found in ${target.repo.fullName}; check --base-branch (the repository's default branch is ${info.defaultBranch})`);
    }
    const paths = filesOfCategories(target.categories);
    const texts = await Promise.all(paths.map((path) => api.readFile(baseSha, path)));
    const files = new Map(paths.map((path, i) => [path, texts[i] ?? null] as const));
    const primary = await primaryOfRepo;
    const location = `${target.repo.fullName}@${settings.baseBranch}`;
    const plan = (planFiles: ReadonlyMap<string, string | null>, sha: string): RepoChange =>
      planRepo({ categories: target.categories, primary, files: planFiles, location, baseSha: sha, cloneUrl: info.cloneUrl }, { force: settings.force });
    change = plan(files, baseSha);
    if (settings.dryRun) {
      return {
        repo: target.repo.fullName,
        categories: change.categories,
        pullRequest: null,
        notes: [],
        error: null,
        diffs: settings.verbose ? await unifiedDiffs(change) : [],
      };
    }
    const outcome = await syncPullRequest({ api, settings, log, dryRunCommand: dryRunCommand(settings, target), replan: plan, ...(syncState !== undefined ? { syncState } : {}) }, change);
    return { repo: target.repo.fullName, categories: outcome.change.categories, pullRequest: outcome.pullRequest, notes: outcome.notes, error: null, diffs: [] };
  } catch (error) {
    return failedReport(target, errorMessage(error), change?.categories);
  }
}
