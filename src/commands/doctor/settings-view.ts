/**
 * The settings as `sync` resolved them, for `doctor` to show, with every secret masked: a token
 * shows only its kind prefix and length, a private key nothing at all.
 */
import type { AuthSettings, Settings } from '../../config/settings.js';
import { formatDuration } from '../../watch/duration.js';

/** `ghp_… (40 characters)`: enough to tell which kind of token is in use, nothing to reuse. */
export function maskToken(token: string): string {
  const prefix = /^(github_pat_|gh[pousr]_)/.exec(token)?.[1] ?? '';
  return `${prefix}… (${token.length} characters)`;
}

export function describeCredential(auth: AuthSettings): string {
  switch (auth.kind) {
    case 'none':
      return 'none';
    case 'token':
      return `token ${maskToken(auth.token)} from ${auth.source}`;
    case 'app':
      return `GitHub App ${auth.appId} (private key set, not shown), installation ${auth.installationId ?? 'found per repository'}`;
  }
}

export function settingsView(settings: Settings): [string, string][] {
  const list = (items: readonly string[]): string => (items.length > 0 ? items.join(', ') : '(none)');
  return [
    ['primary-url', settings.primaryUrl],
    ['github-api-url', settings.githubApiUrl],
    ['image-repo', settings.imageRepo.fullName],
    ['text-repo', settings.textRepo.fullName],
    ['base-branch', settings.baseBranch],
    ['categories', list(settings.categories.map((c) => c.name))],
    ['labels', list(settings.labels)],
    ['reviewers', list(settings.reviewers)],
    ['team-reviewers', list(settings.teamReviewers)],
    ['min-changes', String(settings.minChanges)],
    ['dry-run', String(settings.dryRun)],
    ['credential', describeCredential(settings.auth)],
    ['state-dir', settings.stateDir],
    ['env-file', settings.envFile ?? '(none)'],
    ['log-format', settings.logFormat],
    ['watch-interval', formatDuration(settings.watchIntervalMs)],
  ];
}
