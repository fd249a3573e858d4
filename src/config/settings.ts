/**
 * Resolves every setting of a run from flags, environment and env file, validates it with zod and
 * reports every problem at once (each naming the flag or variable it came from). Nothing here
 * touches the network.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { CATEGORIES, CATEGORY_NAMES, findCategory, type CategoryDefinition } from '../categories.js';
import { UsageError } from '../errors.js';
import { SettingSources, describeOrigin, loadEnvFile, type RawValue } from './sources.js';
import { DEFAULTS, ENV } from './names.js';
import { parseDuration } from '../watch/duration.js';

export interface RepoRef {
  readonly owner: string;
  readonly name: string;
  readonly fullName: string;
}

export type AuthSettings =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string; readonly source: string }
  | {
      readonly kind: 'app';
      readonly appId: string;
      readonly privateKey: string;
      readonly installationId: number | undefined;
      readonly source: string;
    };

export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

export interface Settings {
  readonly primaryUrl: string;
  readonly githubApiUrl: string;
  readonly imageRepo: RepoRef;
  readonly textRepo: RepoRef;
  readonly baseBranch: string;
  readonly syncBranch: string;
  readonly categories: readonly CategoryDefinition[];
  readonly labels: readonly string[];
  readonly reviewers: readonly string[];
  readonly teamReviewers: readonly string[];
  readonly minChanges: number;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly auth: AuthSettings;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
  readonly stateDir: string;
  /** Per-request timeout for PRIMARY and GitHub, in milliseconds. */
  readonly httpTimeoutMs: number;
  /** Base delay of retry backoff; small values are for loopback tests and benchmarks. */
  readonly retryDelayMs: number;
  /** Octokit's write pacing; `false` only against local fakes (tests, demo, benchmark). */
  readonly apiPacing: boolean;
  /** The env file that was read, if any. */
  readonly envFile: string | undefined;
  /** `human` lines, or one JSON object per line for journald and log shippers. */
  readonly logFormat: 'human' | 'json';
  /** How often `watch` polls PRIMARY. */
  readonly watchIntervalMs: number;
}

/** Flag values as commander hands them over; undefined means "not given". */
export interface CliFlags {
  primaryUrl?: string;
  githubApiUrl?: string;
  imageRepo?: string;
  textRepo?: string;
  baseBranch?: string;
  categories?: string;
  labels?: string;
  reviewers?: string;
  teamReviewers?: string;
  minChanges?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
  verbose?: boolean;
  envFile?: string;
  stateDir?: string;
  logFormat?: string;
  /** `watch --interval`. */
  interval?: string;
}

export { DEFAULTS, ENV } from './names.js';

// zod's tree-shakable build: the bundle carries only the checks used here (~25 kB instead of
// ~780 kB of zod's classic API, which cost every run ~30 ms of start-up to compile).
const urlSchema = z.pipe(
  z.string().check(
    z.trim(),
    z.refine((text) => {
      try {
        const url = new URL(text);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'is not an http(s) URL; expected e.g. https://models.aihorde.net/api'),
  ),
  z.transform((text) => text.replace(/\/+$/, '')),
);

const repoSchema = z.pipe(
  z.string().check(z.trim(), z.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+$/, 'is not of the form owner/name (e.g. Haidra-Org/AI-Horde-image-model-reference)')),
  z.transform((text): RepoRef => {
    const [owner = '', name = ''] = text.split('/');
    return { owner, name: name.replace(/\.git$/, ''), fullName: `${owner}/${name.replace(/\.git$/, '')}` };
  }),
);

const branchSchema = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'is empty; expected a branch name such as main'),
    z.refine((b) => !/[\s~^:?*[\\]|\.\.|@\{|^-|\/$|\.lock$/.test(b), 'is not a valid git branch name'),
  );

const listSchema = z.pipe(
  z.string(),
  z.transform((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ),
);

const booleanSchema = z.pipe(
  z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.refine((t) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(t), 'is not a boolean; expected true or false'),
  ),
  z.transform((t) => ['true', '1', 'yes', 'on'].includes(t)),
);

const logFormatSchema = z.pipe(
  z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.refine((t) => t === 'human' || t === 'json', 'is not a log format; expected human or json'),
  ),
  z.transform((t) => t as 'human' | 'json'),
);

const intervalSchema = z.pipe(
  z.string().check(
    z.refine((t) => parseDuration(t) !== undefined, 'is not a duration; expected e.g. 90s, 15m, 1h or a number of seconds'),
    z.refine((t) => (parseDuration(t) ?? Infinity) >= 1000, 'is too short; expected at least 1s'),
  ),
  z.transform((t: string) => parseDuration(t) ?? NaN),
);

const wholeNumber = (what: string) => z.pipe(z.string().check(z.trim(), z.regex(/^\d+$/, `is not a whole number; expected ${what}`)), z.transform(Number));

interface Collected {
  problems: string[];
}

function parseRaw<T>(raw: RawValue, schema: z.ZodMiniType<T>, collected: Collected): T | undefined {
  const result = schema.safeParse(raw.text);
  if (result.success) return result.data;
  const reason = result.error.issues[0]?.message ?? 'is invalid';
  collected.problems.push(`${describeOrigin(raw.origin)}: ${JSON.stringify(raw.text)} ${reason}`);
  return undefined;
}

function resolveCategories(raw: RawValue | undefined, collected: Collected): CategoryDefinition[] {
  if (raw === undefined) return [...CATEGORIES];
  const names = listSchema.parse(raw.text);
  if (names.length === 0 || names.includes('all')) return [...CATEGORIES];
  const chosen = new Set<CategoryDefinition>();
  for (const name of names) {
    const category = findCategory(name);
    if (category === undefined) {
      collected.problems.push(
        `${describeOrigin(raw.origin)}: unknown category ${JSON.stringify(name)}; expected a comma-separated list of: ${CATEGORY_NAMES.join(', ')} (or all)`,
      );
    } else {
      chosen.add(category);
    }
  }
  // Keep the registry's order so reports are stable whatever order the user typed.
  return CATEGORIES.filter((c) => chosen.has(c));
}

function resolveTeams(raw: RawValue | undefined, collected: Collected): string[] {
  if (raw === undefined) return [];
  const teams = listSchema.parse(raw.text);
  for (const team of teams) {
    if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(team)) {
      collected.problems.push(`${describeOrigin(raw.origin)}: ${JSON.stringify(team)} is not of the form org/team-slug`);
    }
  }
  return teams.map((t) => t.split('/')[1] ?? t);
}

function readPrivateKey(sources: SettingSources, collected: Collected): { key: string; source: string } | undefined {
  const inline = sources.getEnv(ENV.appKey);
  const path = sources.getEnv(ENV.appKeyPath);
  let text: string;
  let source: string;
  if (path !== undefined) {
    try {
      text = readFileSync(path.text, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      collected.problems.push(
        `${describeOrigin(path.origin)}: cannot read the private key file ${JSON.stringify(path.text)} (${code}); give the path of the .pem file downloaded from the GitHub App's settings`,
      );
      return undefined;
    }
    source = describeOrigin(path.origin);
  } else if (inline !== undefined) {
    // Env files and CI secrets often carry the PEM on one line with literal \n escapes.
    text = inline.text.replace(/\\n/g, '\n');
    source = describeOrigin(inline.origin);
  } else {
    collected.problems.push(
      `${ENV.appId} is set but no private key was given; set ${ENV.appKeyPath} to the .pem file, or ${ENV.appKey} to its contents`,
    );
    return undefined;
  }
  try {
    createPrivateKey(text);
  } catch {
    // Never echo the key, not even a part of it.
    collected.problems.push(
      `${source}: the GitHub App private key is not a valid PEM private key (expected "-----BEGIN RSA PRIVATE KEY-----" … as downloaded from the App's settings)`,
    );
    return undefined;
  }
  return { key: text, source };
}

function resolveAuth(sources: SettingSources, collected: Collected): AuthSettings {
  const appId = sources.getEnv(ENV.appId);
  if (appId !== undefined) {
    const id = parseRaw(appId, z.pipe(wholeNumber('the numeric App ID from the App settings page'), z.transform(String)), collected);
    const installationRaw = sources.getEnv(ENV.appInstallation);
    const installationId =
      installationRaw === undefined ? undefined : parseRaw(installationRaw, wholeNumber('a numeric installation id'), collected);
    const key = readPrivateKey(sources, collected);
    if (id === undefined || key === undefined) return { kind: 'none' };
    return { kind: 'app', appId: id, privateKey: key.key, installationId, source: `GitHub App ${id}` };
  }
  if (sources.getEnv(ENV.appKey) !== undefined || sources.getEnv(ENV.appKeyPath) !== undefined) {
    collected.problems.push(`a GitHub App private key is set but ${ENV.appId} is not; set ${ENV.appId} to the App's numeric ID`);
  }
  for (const name of [ENV.token, ENV.fallbackToken]) {
    const token = sources.getEnv(name);
    if (token !== undefined) {
      const text = token.text.trim();
      if (/\s/.test(text)) {
        collected.problems.push(`${describeOrigin(token.origin)}: the token contains white space; paste it again without spaces or line breaks`);
        return { kind: 'none' };
      }
      return { kind: 'token', token: text, source: describeOrigin(token.origin) };
    }
  }
  return { kind: 'none' };
}

function resolveIdentity(sources: SettingSources, nameVar: string, emailVar: string, fallback: GitIdentity): GitIdentity {
  return {
    name: sources.getEnv(nameVar)?.text ?? fallback.name,
    email: sources.getEnv(emailVar)?.text ?? fallback.email,
  };
}

export interface ResolveContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Resolves and validates all settings; throws `UsageError` listing every problem. */
export function resolveSettings(flags: CliFlags, context: ResolveContext): Settings {
  const collected: Collected = { problems: [] };
  const envFile = loadEnvFile(flags.envFile, context.cwd);
  if (envFile.problem !== undefined) collected.problems.push(envFile.problem);
  const sources = new SettingSources(flags as Record<string, unknown>, context.env, envFile);
  const def = (text: string): RawValue => ({ text, origin: { kind: 'default' } });
  const value = <T>(key: keyof CliFlags, flag: string, envName: string | undefined, schema: z.ZodMiniType<T>, fallback: string): T | undefined =>
    parseRaw(sources.get(key, flag, envName) ?? def(fallback), schema, collected);

  const primaryUrl = value('primaryUrl', '--primary-url', ENV.primaryUrl, urlSchema, DEFAULTS.primaryUrl);
  const githubApiUrl = value('githubApiUrl', '--github-api-url', ENV.githubApiUrl, urlSchema, DEFAULTS.githubApiUrl);
  const imageRepo = value('imageRepo', '--image-repo', ENV.imageRepo, repoSchema, DEFAULTS.imageRepo);
  const textRepo = value('textRepo', '--text-repo', ENV.textRepo, repoSchema, DEFAULTS.textRepo);
  const baseBranch = value('baseBranch', '--base-branch', ENV.baseBranch, branchSchema, DEFAULTS.baseBranch);
  const categories = resolveCategories(sources.get('categories', '--categories', ENV.categories), collected);
  const labels = value('labels', '--labels', ENV.labels, listSchema, DEFAULTS.labels) ?? [];
  const reviewers = value('reviewers', '--reviewers', ENV.reviewers, listSchema, '') ?? [];
  const teamReviewers = resolveTeams(sources.get('teamReviewers', '--team-reviewers', ENV.teamReviewers), collected);
  const minChanges = value('minChanges', '--min-changes', ENV.minChanges, wholeNumber('an integer ≥ 0, e.g. --min-changes 5'), DEFAULTS.minChanges);
  const dryRun = value('dryRun', '--dry-run', ENV.dryRun, booleanSchema, 'false');
  const verbose = value('verbose', '--verbose', ENV.verbose, booleanSchema, 'false');
  const httpTimeout = parseRaw(sources.getEnv(ENV.httpTimeout) ?? def(DEFAULTS.httpTimeoutSeconds), wholeNumber('a number of seconds ≥ 1'), collected);
  const retryDelayMs = parseRaw(sources.getEnv(ENV.retryDelay) ?? def(DEFAULTS.retryDelayMs), wholeNumber('a number of milliseconds'), collected);
  const apiPacing = parseRaw(sources.getEnv(ENV.apiPacing) ?? def('true'), booleanSchema, collected);
  const logFormat = value('logFormat', '--log-format', ENV.logFormat, logFormatSchema, DEFAULTS.logFormat);
  const watchIntervalMs = value('interval', '--interval', ENV.watchInterval, intervalSchema, DEFAULTS.watchInterval);
  const stateDir = stateDirFrom(sources, context);
  const auth = resolveAuth(sources, collected);
  const author = resolveIdentity(sources, 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', DEFAULTS.author);
  const committer = resolveIdentity(sources, 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', author);

  if (httpTimeout !== undefined && httpTimeout < 1) collected.problems.push(`${ENV.httpTimeout}: must be at least 1 second`);
  if (imageRepo !== undefined && textRepo !== undefined && imageRepo.fullName === textRepo.fullName) {
    collected.problems.push(`--image-repo and --text-repo both name ${imageRepo.fullName}; they must be two different repositories`);
  }
  if (flags.force === true && dryRun === true) {
    // Not an error: --force only changes what a real run would do, and the preview shows that.
  }
  if (dryRun === false && auth.kind === 'none' && collected.problems.length === 0) {
    collected.problems.push(
      `a sync that opens pull requests needs a GitHub credential: set ${ENV.token} (or GITHUB_TOKEN) to a token with contents and pull-request write access, or ${ENV.appId} with a private key for a GitHub App; or preview with --dry-run, which needs none for public repositories`,
    );
  }
  if (collected.problems.length > 0) throw new UsageError(collected.problems);

  return {
    primaryUrl: primaryUrl!,
    githubApiUrl: githubApiUrl!,
    imageRepo: imageRepo!,
    textRepo: textRepo!,
    baseBranch: baseBranch!,
    syncBranch: DEFAULTS.syncBranch,
    categories,
    labels,
    reviewers,
    teamReviewers,
    minChanges: minChanges!,
    dryRun: dryRun!,
    force: flags.force === true,
    json: flags.json === true,
    verbose: verbose!,
    auth,
    author,
    committer,
    stateDir,
    httpTimeoutMs: httpTimeout! * 1000,
    retryDelayMs: retryDelayMs!,
    apiPacing: apiPacing!,
    envFile: envFile.path,
    logFormat: logFormat ?? 'human',
    watchIntervalMs: watchIntervalMs!,
  };
}

function stateDirFrom(sources: SettingSources, context: ResolveContext): string {
  const stateRaw = sources.get('stateDir', '--state-dir', ENV.stateDir);
  const xdgState = context.env['XDG_STATE_HOME'];
  return stateRaw !== undefined
    ? resolve(context.cwd, stateRaw.text)
    : join(xdgState !== undefined && xdgState !== '' ? xdgState : join(context.env['HOME'] ?? homedir(), '.local', 'state'), 'horde-model-sync');
}

/** Only the state directory: `history` needs it without a credential or any network setting. */
export function resolveStateDir(flags: Pick<CliFlags, 'stateDir' | 'envFile'>, context: ResolveContext): string {
  const envFile = loadEnvFile(flags.envFile, context.cwd);
  if (envFile.problem !== undefined) throw new UsageError([envFile.problem]);
  return stateDirFrom(new SettingSources(flags as Record<string, unknown>, context.env, envFile), context);
}
