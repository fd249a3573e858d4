/**
 * What `doctor` asks GitHub, read-only: who the credential is, and for each repository whether it
 * can be read, whether the base branch exists, whether the credential may push and open pull
 * requests there, and whether the labels exist or can be created. Uses the same Octokit stack and
 * repository API as a run, plus the few read endpoints a run never needs (/user, /app,
 * installations, labels).
 */
import type { RepoRef, Settings } from '../../config/settings.js';
import { ENV } from '../../config/names.js';
import { errorMessage } from '../../errors.js';
import { toGitHubError } from '../../github/errors.js';
import { createOctokit, type OctokitOptions, type SyncOctokit } from '../../github/octokit.js';
import { OctokitRepoApi, type GitHubRepoApi } from '../../github/repo-api.js';
import { GitHubSessions } from '../../github/session.js';
import { repoTargets } from '../../sync/run.js';
import { fail, pass, skip, warn, type Check } from './check.js';

const TOKEN_FIX = `create a token with Contents: read and write and Pull requests: read and write on both repositories (fine-grained), or the repo scope (classic), and set it as ${ENV.token}`;
const APP_PERMISSIONS_FIX = 'in the App settings → Permissions, grant Contents: read and write, Pull requests: read and write and Issues: read and write, then accept the new permissions on the installation';

/** Who the credential is; `canCreateLabels`/`canOpenPulls` come from what GitHub says about it. */
interface Identity {
  readonly check: Check;
  /** The credential was refused outright: checking repositories with it would only repeat that. */
  readonly rejected: boolean;
  /** Classic token scopes (`x-oauth-scopes`); undefined when GitHub does not report them. */
  readonly scopes: readonly string[] | undefined;
  /** The App's page, for the "install it" fix. */
  readonly appUrl: string | undefined;
}

interface Access {
  readonly api: GitHubRepoApi;
  readonly octokit: SyncOctokit;
  /** App installation permissions; undefined for tokens. */
  readonly appPermissions: Readonly<Record<string, string>> | undefined;
}

const status = (error: unknown): number | undefined => (error as { status?: number }).status;

export class GitHubDoctor {
  private readonly credential: string;
  private readonly installations = new Map<number, SyncOctokit>();
  private shared: SyncOctokit | undefined;
  private app: SyncOctokit | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly options: OctokitOptions,
  ) {
    this.credential = new GitHubSessions(settings.auth, options).credentialDescription;
  }

  async checks(): Promise<Check[]> {
    const identity = await this.identity();
    const checks: Check[] = [identity.check];
    for (const target of repoTargets(this.settings)) {
      checks.push(...(await this.repoChecks(target.repo, identity)));
    }
    return checks;
  }

  private wrap(error: unknown, action: string, repo = this.settings.githubApiUrl): string {
    return toGitHubError(error, { action, credential: this.credential, repo }).message;
  }

  private async identity(): Promise<Identity> {
    const auth = this.settings.auth;
    const name = 'GitHub credential';
    if (auth.kind === 'none') {
      const check = this.settings.dryRun
        ? pass(name, 'none: enough for a dry run of public repositories')
        : fail(name, 'no credential is set: a run cannot push or open pull requests', `${TOKEN_FIX}; or, for unattended runs, set ${ENV.appId} and ${ENV.appKeyPath} for a GitHub App`);
      return { check, rejected: false, scopes: undefined, appUrl: undefined };
    }
    if (auth.kind === 'token') {
      this.shared ??= createOctokit({ kind: 'token', token: auth.token }, this.options);
      try {
        const response = await this.shared.request('GET /user');
        const header = response.headers['x-oauth-scopes'];
        const scopes = typeof header === 'string' ? header.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;
        const scopeText = scopes === undefined ? 'fine-grained (permissions not reported)' : `scopes: ${scopes.join(', ') || '(none)'}`;
        return { check: pass(name, `${response.data.login} (${response.data.type}), token from ${auth.source}; ${scopeText}`), rejected: false, scopes, appUrl: undefined };
      } catch (error) {
        if (status(error) === 401) {
          return {
            check: fail(name, `GitHub rejected the token from ${auth.source} (401 Bad credentials): it is wrong, expired or revoked`, TOKEN_FIX),
            rejected: true,
            scopes: undefined,
            appUrl: undefined,
          };
        }
        if (status(error) === 403) {
          // GitHub Actions' GITHUB_TOKEN and other installation tokens have no user behind them.
          return { check: pass(name, `an installation token from ${auth.source} (no user identity)`), rejected: false, scopes: undefined, appUrl: undefined };
        }
        return { check: fail(name, this.wrap(error, 'asking GitHub who the token belongs to'), `check --github-api-url (${ENV.githubApiUrl}) and the network`), rejected: true, scopes: undefined, appUrl: undefined };
      }
    }
    this.app ??= createOctokit({ kind: 'app', appId: auth.appId, privateKey: auth.privateKey }, this.options);
    try {
      const { data } = await this.app.request('GET /app');
      const slug = data?.slug ?? String(auth.appId);
      return { check: pass(name, `GitHub App ${slug} (id ${auth.appId})`), rejected: false, scopes: undefined, appUrl: data?.html_url };
    } catch (error) {
      const refused = status(error) === 401 || status(error) === 404;
      return {
        check: fail(
          name,
          refused ? `GitHub refused the App's signed token (${status(error)}): ${ENV.appId}=${auth.appId} does not match the private key, or the key was deleted` : this.wrap(error, 'authenticating as the GitHub App'),
          refused
            ? `check the App ID on the App's settings page and generate a new private key there; also make sure this machine's clock is right`
            : `check --github-api-url (${ENV.githubApiUrl}) and the network`,
        ),
        rejected: true,
        scopes: undefined,
        appUrl: undefined,
      };
    }
  }

  /** An API for the repository with the configured credential; for Apps, the installation first. */
  private async access(repo: RepoRef, identity: Identity): Promise<Access | Check> {
    const auth = this.settings.auth;
    if (auth.kind !== 'app') {
      this.shared ??= createOctokit(auth.kind === 'token' ? { kind: 'token', token: auth.token } : { kind: 'none' }, this.options);
      const token = auth.kind === 'token' ? auth.token : undefined;
      return { api: new OctokitRepoApi(this.shared, repo, this.credential, async () => token), octokit: this.shared, appPermissions: undefined };
    }
    const name = `${repo.fullName}: App installation`;
    const app = (this.app ??= createOctokit({ kind: 'app', appId: auth.appId, privateKey: auth.privateKey }, this.options));
    let installation: { id: number; permissions: Record<string, string> };
    try {
      const { data } =
        auth.installationId !== undefined
          ? await app.request('GET /app/installations/{installation_id}', { installation_id: auth.installationId })
          : await app.request('GET /repos/{owner}/{repo}/installation', { owner: repo.owner, repo: repo.name });
      installation = { id: data.id, permissions: (data.permissions ?? {}) as Record<string, string> };
    } catch (error) {
      if (status(error) === 404) {
        const where = identity.appUrl !== undefined ? `${identity.appUrl}/installations/new` : "the App's page → Install App";
        return auth.installationId !== undefined
          ? fail(name, `installation ${auth.installationId} (${ENV.appInstallation}) does not belong to this App`, `correct ${ENV.appInstallation}, or remove it to find the installation from each repository`)
          : fail(name, `the App is not installed on ${repo.fullName}`, `install it on ${repo.fullName} (${where}) with access to that repository`);
      }
      return fail(name, this.wrap(error, `finding the App installation on ${repo.fullName}`, repo.fullName), `check --github-api-url (${ENV.githubApiUrl}) and the network`);
    }
    let octokit = this.installations.get(installation.id);
    if (octokit === undefined) {
      octokit = createOctokit({ kind: 'app', appId: auth.appId, privateKey: auth.privateKey, installationId: installation.id }, this.options);
      this.installations.set(installation.id, octokit);
    }
    const installed = octokit;
    const api = new OctokitRepoApi(installed, repo, this.credential, async () => ((await installed.auth({ type: 'installation' })) as { token: string }).token);
    return { api, octokit: installed, appPermissions: installation.permissions };
  }

  private async repoChecks(repo: RepoRef, identity: Identity): Promise<Check[]> {
    const label = repo.fullName;
    const names = {
      read: `${label}: readable`,
      branch: `${label}: base branch ${this.settings.baseBranch}`,
      push: `${label}: may push`,
      pulls: `${label}: may open pull requests`,
      labels: `${label}: labels`,
    };
    if (identity.rejected) return Object.values(names).map((n) => skip(n, 'not checked: the credential was refused'));
    const checks: Check[] = [];
    const access = await this.access(repo, identity);
    if (!('api' in access)) return [access, ...Object.values(names).map((n) => skip(n, 'not checked: no installation'))];
    if (access.appPermissions !== undefined) {
      checks.push(pass(`${label}: App installation`, `permissions: ${Object.entries(access.appPermissions).map(([k, v]) => `${k}: ${v}`).join(', ') || '(none)'}`));
    }
    const { api } = access;

    let info;
    try {
      info = await api.getRepository();
      checks.push(pass(names.read, `${info.private ? 'private' : 'public'}, default branch ${info.defaultBranch}`));
    } catch (error) {
      const message = errorMessage(error);
      const fix =
        status((error as { cause?: unknown }).cause) === 404 || /404/.test(message)
          ? `check ${repo === this.settings.imageRepo ? `--image-repo (${ENV.imageRepo})` : `--text-repo (${ENV.textRepo})`} and that the credential can see the repository`
          : `check --github-api-url (${ENV.githubApiUrl}) and the credential`;
      checks.push(fail(names.read, message, fix));
      return [...checks, ...[names.branch, names.push, names.pulls, names.labels].map((n) => skip(n, 'not checked: the repository is not readable'))];
    }

    try {
      const sha = await api.getBranchSha(this.settings.baseBranch);
      checks.push(
        sha !== null
          ? pass(names.branch, `at ${sha.slice(0, 12)}`)
          : fail(names.branch, `${this.settings.baseBranch} does not exist in ${label} (its default branch is ${info.defaultBranch})`, `set --base-branch (${ENV.baseBranch}) to an existing branch, e.g. ${info.defaultBranch}`),
      );
    } catch (error) {
      checks.push(fail(names.branch, errorMessage(error), `check the credential's read access to ${label}`));
    }

    if (this.settings.dryRun) {
      return [...checks, ...[names.push, names.pulls, names.labels].map((n) => skip(n, 'not needed: dry runs write nothing'))];
    }
    const perms = access.appPermissions;
    const pushFix =
      perms !== undefined
        ? APP_PERMISSIONS_FIX
        : this.settings.auth.kind === 'none'
          ? TOKEN_FIX
          : `give the token Contents: read and write on ${label} (fine-grained) or the repo scope (classic), and make sure its user has write access to the repository`;
    const canPush = info.canPush === true && (perms === undefined || perms['contents'] === 'write');
    checks.push(canPush ? pass(names.push, 'yes') : fail(names.push, `the credential may not push to ${label}`, pushFix));
    checks.push(this.pullsCheck(names.pulls, canPush, perms, identity.scopes, info.private));
    checks.push(await this.labelsCheck(names.labels, access, repo, canPush));
    return checks;
  }

  private pullsCheck(name: string, canPush: boolean, perms: Readonly<Record<string, string>> | undefined, scopes: readonly string[] | undefined, isPrivate: boolean): Check {
    if (!canPush) return fail(name, 'no: the sync branch cannot be pushed, so no pull request can be opened', 'fix the push permission above');
    if (perms !== undefined) {
      return perms['pull_requests'] === 'write' ? pass(name, 'yes (pull_requests: write)') : fail(name, `the App has pull_requests: ${perms['pull_requests'] ?? 'none'}`, APP_PERMISSIONS_FIX);
    }
    if (scopes === undefined) {
      // Fine-grained tokens and GITHUB_TOKEN do not report their permissions; only a write would tell.
      return warn(name, 'cannot be checked without writing: GitHub does not report a fine-grained token\'s permissions', 'make sure the token has Pull requests: read and write on this repository');
    }
    const ok = scopes.includes('repo') || (!isPrivate && scopes.includes('public_repo'));
    return ok ? pass(name, `yes (scope ${scopes.includes('repo') ? 'repo' : 'public_repo'})`) : fail(name, `the classic token's scopes (${scopes.join(', ') || 'none'}) do not include repo`, 'create a classic token with the repo scope, or a fine-grained one (see the README)');
  }

  private async labelsCheck(name: string, access: Access, repo: RepoRef, canPush: boolean): Promise<Check> {
    const wanted = this.settings.labels;
    if (wanted.length === 0) return pass(name, 'none configured');
    let existing: Set<string>;
    try {
      const labels = await access.octokit.paginate('GET /repos/{owner}/{repo}/labels', { owner: repo.owner, repo: repo.name, per_page: 100 });
      existing = new Set(labels.map((l) => l.name.toLowerCase()));
    } catch (error) {
      return fail(name, this.wrap(error, `listing the labels of ${repo.fullName}`, repo.fullName), 'check the credential\'s read access to the repository');
    }
    const missing = wanted.filter((l) => !existing.has(l.toLowerCase()));
    const present = wanted.filter((l) => existing.has(l.toLowerCase()));
    if (missing.length === 0) return pass(name, `present: ${present.join(', ')}`);
    const perms = access.appPermissions;
    const canCreate = perms !== undefined ? perms['issues'] === 'write' || perms['pull_requests'] === 'write' : canPush;
    const detail = `${present.length > 0 ? `present: ${present.join(', ')}; ` : ''}missing: ${missing.join(', ')}`;
    return canCreate
      ? pass(name, `${detail} (created by the first run)`)
      : fail(name, `${detail}, and the credential may not create labels`, `create them in ${repo.fullName} (Issues → Labels), or change --labels (${ENV.labels})`);
  }
}
