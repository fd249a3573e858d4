/**
 * Setting names and defaults of the outside contract. Kept free of imports so `--help` and
 * `--version` load nothing heavy.
 */

export const DEFAULTS = {
  primaryUrl: 'https://models.aihorde.net/api',
  githubApiUrl: 'https://api.github.com',
  imageRepo: 'Haidra-Org/AI-Horde-image-model-reference',
  textRepo: 'Haidra-Org/AI-Horde-text-model-reference',
  baseBranch: 'main',
  labels: 'automated,sync,ready-for-review',
  minChanges: '1',
  syncBranch: 'sync/from-primary',
  author: { name: 'horde-model-sync', email: 'horde-model-sync@users.noreply.github.com' },
  httpTimeoutSeconds: '60',
  retryDelayMs: '1000',
  logFormat: 'human',
  watchInterval: '15m',
} as const;

export const ENV = {
  primaryUrl: 'HORDE_GITHUB_SYNC_PRIMARY_API_URL',
  githubApiUrl: 'HORDE_GITHUB_SYNC_GITHUB_API_URL',
  imageRepo: 'HORDE_GITHUB_SYNC_GITHUB_IMAGE_REPO',
  textRepo: 'HORDE_GITHUB_SYNC_GITHUB_TEXT_REPO',
  baseBranch: 'HORDE_GITHUB_SYNC_GITHUB_BRANCH',
  categories: 'HORDE_GITHUB_SYNC_CATEGORIES_TO_SYNC',
  labels: 'HORDE_GITHUB_SYNC_PR_LABELS',
  reviewers: 'HORDE_GITHUB_SYNC_PR_REVIEWERS',
  teamReviewers: 'HORDE_GITHUB_SYNC_PR_AUTO_ASSIGN_TEAM',
  minChanges: 'HORDE_GITHUB_SYNC_MIN_CHANGES_THRESHOLD',
  dryRun: 'HORDE_GITHUB_SYNC_DRY_RUN',
  verbose: 'HORDE_GITHUB_SYNC_VERBOSE_LOGGING',
  stateDir: 'HORDE_GITHUB_SYNC_STATE_DIR',
  httpTimeout: 'HORDE_GITHUB_SYNC_HTTP_TIMEOUT_SECONDS',
  retryDelay: 'HORDE_GITHUB_SYNC_RETRY_DELAY_MS',
  apiPacing: 'HORDE_GITHUB_SYNC_API_PACING',
  logFormat: 'HORDE_GITHUB_SYNC_LOG_FORMAT',
  watchInterval: 'HORDE_GITHUB_SYNC_WATCH_INTERVAL_SECONDS',
  appId: 'GITHUB_APP_ID',
  appKeyPath: 'GITHUB_APP_PRIVATE_KEY_PATH',
  appKey: 'GITHUB_APP_PRIVATE_KEY',
  appInstallation: 'GITHUB_APP_INSTALLATION_ID',
  token: 'HORDE_GITHUB_SYNC_GITHUB_TOKEN',
  fallbackToken: 'GITHUB_TOKEN',
} as const;
