/**
 * Progress of a run on a terminal: one live line saying what each part is doing
 * ("PRIMARY 7/10 · AI-Horde-image-model-reference: cloning and pushing"). It watches the run from
 * the outside — by wrapping PRIMARY and each repository's API — so the sync itself stays free of
 * display code. The logger draws it only on a TTY in the human format.
 */
import type { GitHubRepoApi } from '../github/repo-api.js';
import type { PrimaryResponse, PrimarySource } from '../primary/client.js';
import type { Logger } from '../util/logger.js';

export class ProgressBoard {
  private readonly parts = new Map<string, string>();
  constructor(private readonly log: Logger) {}

  set(key: string, text: string): void {
    this.parts.set(key, text);
    this.log.progress([...this.parts.values()].join(' · '));
  }
}

/** Counts PRIMARY categories as they arrive; each answer's time goes to the debug log. */
export function primaryWithProgress(source: PrimarySource, total: number, board: ProgressBoard, log: Logger): PrimarySource {
  let done = 0;
  board.set('primary', `PRIMARY 0/${total}`);
  return {
    async fetchCategory(category: string, options?: { etag?: string }): Promise<PrimaryResponse> {
      const started = performance.now();
      const response = await source.fetchCategory(category, options);
      done++;
      board.set('primary', `PRIMARY ${done}/${total}`);
      log.detail(`PRIMARY ${category}: ${response.kind}`, { category, durationMs: Math.round(performance.now() - started) });
      return response;
    },
    close: () => source.close(),
  };
}

/** What a call to the repository API means for someone watching the run. */
const STAGES: Partial<Record<keyof GitHubRepoApi, string>> = {
  getRepository: 'reading the repository',
  readFile: 'reading files',
  findOpenPull: 'looking for the sync pull request',
  findClosedUnmergedPull: 'looking for a closed sync pull request',
  // The git token is asked for right before the clone: from here on git clones, commits and pushes.
  gitToken: 'cloning and pushing',
  createPull: 'opening the pull request',
  updatePull: 'updating the pull request',
  addLabels: 'labelling the pull request',
  requestReviewers: 'requesting reviewers',
};

export function repoWithProgress(api: GitHubRepoApi, board: ProgressBoard): GitHubRepoApi {
  const key = api.repo.fullName;
  const label = api.repo.name;
  board.set(key, `${label}: connecting`);
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const stage = STAGES[property as keyof GitHubRepoApi];
      return (...args: unknown[]): unknown => {
        if (stage !== undefined) board.set(key, `${label}: ${stage}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
