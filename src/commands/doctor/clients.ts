/**
 * The Octokit clients `doctor` needs for the configured credential, each made once: the token's
 * (or an anonymous one), the App's own (JWT: /app and installation look-ups), and one per App
 * installation. Built by the same `createOctokit` as a run, so retries, throttling and auth match.
 */
import type { Settings } from '../../config/settings.js';
import { ENV } from '../../config/names.js';
import { toGitHubError } from '../../github/errors.js';
import { createOctokit, type OctokitOptions, type SyncOctokit } from '../../github/octokit.js';
import { GitHubSessions } from '../../github/session.js';

export const TOKEN_FIX = `create a token with Contents: read and write and Pull requests: read and write on both repositories (fine-grained), or the repo scope (classic), and set it as ${ENV.token}`;
export const NETWORK_FIX = `check --github-api-url (${ENV.githubApiUrl}) and the network`;

export const statusOf = (error: unknown): number | undefined => (error as { status?: number }).status;

export class DoctorClients {
  /** How messages name the credential, e.g. "HORDE_GITHUB_SYNC_GITHUB_TOKEN (environment)". */
  readonly credential: string;
  private readonly installations = new Map<number, SyncOctokit>();
  private shared: SyncOctokit | undefined;
  private app: SyncOctokit | undefined;

  constructor(
    readonly settings: Settings,
    private readonly options: OctokitOptions,
  ) {
    this.credential = new GitHubSessions(settings.auth, options).credentialDescription;
  }

  /** The token's client, or an anonymous one; not for Apps. */
  plain(): SyncOctokit {
    const auth = this.settings.auth;
    this.shared ??= createOctokit(auth.kind === 'token' ? { kind: 'token', token: auth.token } : { kind: 'none' }, this.options);
    return this.shared;
  }

  /** The App's own client (JWT). */
  appClient(): SyncOctokit {
    const auth = this.settings.auth;
    if (auth.kind !== 'app') throw new Error('not a GitHub App credential');
    this.app ??= createOctokit({ kind: 'app', appId: auth.appId, privateKey: auth.privateKey }, this.options);
    return this.app;
  }

  installation(id: number): SyncOctokit {
    const auth = this.settings.auth;
    if (auth.kind !== 'app') throw new Error('not a GitHub App credential');
    let octokit = this.installations.get(id);
    if (octokit === undefined) {
      octokit = createOctokit({ kind: 'app', appId: auth.appId, privateKey: auth.privateKey, installationId: id }, this.options);
      this.installations.set(id, octokit);
    }
    return octokit;
  }

  /** A request error as the run would word it (what failed, and the fix). */
  describe(error: unknown, action: string, repo = this.settings.githubApiUrl): string {
    return toGitHubError(error, { action, credential: this.credential, repo }).message;
  }
}
