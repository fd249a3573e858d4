/**
 * What `doctor` asks GitHub, read-only: who the credential is, and for each repository whether it
 * can be read, whether the base branch exists, whether the credential may push and open pull
 * requests there, and whether the labels exist or can be created. Uses the repository API of a
 * run (`OctokitRepoApi`) plus the few read endpoints a run never needs (installations, labels).
 */
import type { RepoRef } from '../../config/settings.js';
import { ENV } from '../../config/names.js';
import { errorMessage } from '../../errors.js';
import type { SyncOctokit } from '../../github/octokit.js';
import { OctokitRepoApi, type GitHubRepoApi } from '../../github/repo-api.js';
import { repoTargets } from '../../sync/run.js';
import { fail, pass, skip, warn, type Check } from './check.js';
import { NETWORK_FIX, TOKEN_FIX, statusOf, type DoctorClients } from './clients.js';
import { probeIdentity, type Identity } from './identity.js';

const APP_PERMISSIONS_FIX =
  'in the App settings → Permissions, grant Contents: read and write, Pull requests: read and write and Issues: read and write, then accept the new permissions on the installation';

interface Access {
  readonly api: GitHubRepoApi;
  readonly octokit: SyncOctokit;
  /** App installation permissions; undefined for tokens. */
  readonly appPermissions: Readonly<Record<string, string>> | undefined;
}

export async function githubChecks(clients: DoctorClients): Promise<Check[]> {
  const identity = await probeIdentity(clients);
  const checks: Check[] = [identity.check];
  for (const target of repoTargets(clients.settings)) checks.push(...(await repoChecks(clients, target.repo, identity)));
  return checks;
}

/** An API for the repository with the configured credential; for Apps, the installation first. */
async function access(clients: DoctorClients, repo: RepoRef, identity: Identity): Promise<Access | Check> {
  const auth = clients.settings.auth;
  if (auth.kind !== 'app') {
    const token = auth.kind === 'token' ? auth.token : undefined;
    return { api: new OctokitRepoApi(clients.plain(), repo, clients.credential, async () => token), octokit: clients.plain(), appPermissions: undefined };
  }
  const name = `${repo.fullName}: App installation`;
  let installation: { id: number; permissions: Record<string, string> };
  try {
    const app = clients.appClient();
    const { data } =
      auth.installationId !== undefined
        ? await app.request('GET /app/installations/{installation_id}', { installation_id: auth.installationId })
        : await app.request('GET /repos/{owner}/{repo}/installation', { owner: repo.owner, repo: repo.name });
    installation = { id: data.id, permissions: (data.permissions ?? {}) as Record<string, string> };
  } catch (error) {
    if (statusOf(error) === 404) {
      const where = identity.appUrl !== undefined ? `${identity.appUrl}/installations/new` : "the App's page → Install App";
      return auth.installationId !== undefined
        ? fail(name, `installation ${auth.installationId} (${ENV.appInstallation}) does not belong to this App`, `correct ${ENV.appInstallation}, or remove it to find the installation from each repository`)
        : fail(name, `the App is not installed on ${repo.fullName}`, `install it on ${repo.fullName} (${where}) with access to that repository`);
    }
    return fail(name, clients.describe(error, `finding the App installation on ${repo.fullName}`, repo.fullName), NETWORK_FIX);
  }
  const octokit = clients.installation(installation.id);
  const api = new OctokitRepoApi(octokit, repo, clients.credential, async () => ((await octokit.auth({ type: 'installation' })) as { token: string }).token);
  return { api, octokit, appPermissions: installation.permissions };
}

async function repoChecks(clients: DoctorClients, repo: RepoRef, identity: Identity): Promise<Check[]> {
  const { settings } = clients;
  const label = repo.fullName;
  const names = {
    read: `${label}: readable`,
    branch: `${label}: base branch ${settings.baseBranch}`,
    push: `${label}: may push`,
    pulls: `${label}: may open pull requests`,
    labels: `${label}: labels`,
  };
  const skipAll = (list: readonly string[], why: string): Check[] => list.map((n) => skip(n, `not checked: ${why}`));
  if (identity.rejected) return skipAll(Object.values(names), 'the credential was refused');
  const found = await access(clients, repo, identity);
  if (!('api' in found)) return [found, ...skipAll(Object.values(names), 'no installation')];
  const checks: Check[] = [];
  const perms = found.appPermissions;
  if (perms !== undefined) {
    checks.push(pass(`${label}: App installation`, `permissions: ${Object.entries(perms).map(([k, v]) => `${k}: ${v}`).join(', ') || '(none)'}`));
  }

  let info;
  try {
    info = await found.api.getRepository();
    checks.push(pass(names.read, `${info.private ? 'private' : 'public'}, default branch ${info.defaultBranch}`));
  } catch (error) {
    const message = errorMessage(error);
    const flag = repo === settings.imageRepo ? `--image-repo (${ENV.imageRepo})` : `--text-repo (${ENV.textRepo})`;
    checks.push(fail(names.read, message, /\b404\b/.test(message) ? `check ${flag} and that the credential can see the repository` : `${NETWORK_FIX}, and the credential`));
    return [...checks, ...skipAll([names.branch, names.push, names.pulls, names.labels], 'the repository is not readable')];
  }

  try {
    const sha = await found.api.getBranchSha(settings.baseBranch);
    checks.push(
      sha !== null
        ? pass(names.branch, `at ${sha.slice(0, 12)}`)
        : fail(names.branch, `${settings.baseBranch} does not exist in ${label} (its default branch is ${info.defaultBranch})`, `set --base-branch (${ENV.baseBranch}) to an existing branch, e.g. ${info.defaultBranch}`),
    );
  } catch (error) {
    checks.push(fail(names.branch, errorMessage(error), `check the credential's read access to ${label}`));
  }

  if (settings.dryRun) return [...checks, ...[names.push, names.pulls, names.labels].map((n) => skip(n, 'not needed: dry runs write nothing'))];
  const pushFix =
    perms !== undefined
      ? APP_PERMISSIONS_FIX
      : settings.auth.kind === 'none'
        ? TOKEN_FIX
        : `give the token Contents: read and write on ${label} (fine-grained) or the repo scope (classic), and make sure its user has write access to the repository`;
  const canPush = info.canPush === true && (perms === undefined || perms['contents'] === 'write');
  checks.push(canPush ? pass(names.push, 'yes') : fail(names.push, `the credential may not push to ${label}`, pushFix));
  checks.push(pullsCheck(names.pulls, canPush, perms, identity.scopes, info.private));
  checks.push(await labelsCheck(clients, names.labels, found, repo, canPush));
  return checks;
}

function pullsCheck(name: string, canPush: boolean, perms: Readonly<Record<string, string>> | undefined, scopes: readonly string[] | undefined, isPrivate: boolean): Check {
  if (!canPush) return fail(name, 'no: the sync branch cannot be pushed, so no pull request can be opened', 'fix the push permission above');
  if (perms !== undefined) {
    return perms['pull_requests'] === 'write' ? pass(name, 'yes (pull_requests: write)') : fail(name, `the App has pull_requests: ${perms['pull_requests'] ?? 'none'}`, APP_PERMISSIONS_FIX);
  }
  if (scopes === undefined) {
    // Fine-grained tokens and GITHUB_TOKEN do not report their permissions; only a write would tell.
    return warn(name, "cannot be checked without writing: GitHub does not report a fine-grained token's permissions", 'make sure the token has Pull requests: read and write on this repository');
  }
  const scope = scopes.includes('repo') ? 'repo' : !isPrivate && scopes.includes('public_repo') ? 'public_repo' : undefined;
  return scope !== undefined
    ? pass(name, `yes (scope ${scope})`)
    : fail(name, `the classic token's scopes (${scopes.join(', ') || 'none'}) do not include repo`, 'create a classic token with the repo scope, or a fine-grained one (see Authentication in the README)');
}

async function labelsCheck(clients: DoctorClients, name: string, found: Access, repo: RepoRef, canPush: boolean): Promise<Check> {
  const wanted = clients.settings.labels;
  if (wanted.length === 0) return pass(name, 'none configured');
  let existing: Set<string>;
  try {
    const labels = await found.octokit.paginate('GET /repos/{owner}/{repo}/labels', { owner: repo.owner, repo: repo.name, per_page: 100 });
    existing = new Set(labels.map((l) => l.name.toLowerCase()));
  } catch (error) {
    return fail(name, clients.describe(error, `listing the labels of ${repo.fullName}`, repo.fullName), "check the credential's read access to the repository");
  }
  const missing = wanted.filter((l) => !existing.has(l.toLowerCase()));
  const present = wanted.filter((l) => existing.has(l.toLowerCase()));
  if (missing.length === 0) return pass(name, `present: ${present.join(', ')}`);
  // Creating a label needs write access to issues or pull requests (GitHub accepts either).
  const perms = found.appPermissions;
  const canCreate = perms !== undefined ? perms['issues'] === 'write' || perms['pull_requests'] === 'write' : canPush;
  const detail = `${present.length > 0 ? `present: ${present.join(', ')}; ` : ''}missing: ${missing.join(', ')}`;
  return canCreate
    ? pass(name, `${detail} (created by the first run)`)
    : fail(name, `${detail}, and the credential may not create labels`, `create them in ${repo.fullName} (Issues → Labels), or change --labels (${ENV.labels})`);
}
