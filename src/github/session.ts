/**
 * Opens a `GitHubRepoApi` for a repository with the configured credential. GitHub App installations
 * are found from the repository when no installation id is given; installation tokens are minted
 * and refreshed by @octokit/auth-app through Octokit's auth hook (which also corrects clock skew).
 */
import type { AuthSettings, RepoRef } from '../config/settings.js';
import { createOctokit, type OctokitOptions, type SyncOctokit } from './octokit.js';
import { OctokitRepoApi, type GitHubRepoApi } from './repo-api.js';
import { toGitHubError } from './errors.js';

export class GitHubSessions {
  private readonly installations = new Map<number, SyncOctokit>();
  private shared: SyncOctokit | undefined;
  private appOctokit: SyncOctokit | undefined;

  constructor(
    private readonly auth: AuthSettings,
    private readonly options: OctokitOptions,
  ) {}

  get credentialDescription(): string {
    switch (this.auth.kind) {
      case 'none':
        return 'no credential (anonymous)';
      case 'token':
        return this.auth.source;
      case 'app':
        return this.auth.source;
    }
  }

  async open(repo: RepoRef): Promise<GitHubRepoApi> {
    const credential = this.credentialDescription;
    if (this.auth.kind !== 'app') {
      this.shared ??= createOctokit(this.auth.kind === 'token' ? { kind: 'token', token: this.auth.token } : { kind: 'none' }, this.options);
      const token = this.auth.kind === 'token' ? this.auth.token : undefined;
      return new OctokitRepoApi(this.shared, repo, credential, async () => token);
    }
    const installationId = this.auth.installationId ?? (await this.findInstallation(repo));
    let octokit = this.installations.get(installationId);
    if (octokit === undefined) {
      octokit = createOctokit({ kind: 'app', appId: this.auth.appId, privateKey: this.auth.privateKey, installationId }, this.options);
      this.installations.set(installationId, octokit);
    }
    const installationOctokit = octokit;
    return new OctokitRepoApi(installationOctokit, repo, credential, async () => {
      const result = (await installationOctokit.auth({ type: 'installation' })) as { token: string };
      return result.token;
    });
  }

  private async findInstallation(repo: RepoRef): Promise<number> {
    if (this.auth.kind !== 'app') throw new Error('not an App credential');
    this.appOctokit ??= createOctokit({ kind: 'app', appId: this.auth.appId, privateKey: this.auth.privateKey }, this.options);
    try {
      const { data } = await this.appOctokit.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.name });
      return data.id;
    } catch (error) {
      const wrapped = toGitHubError(error, {
        action: `finding the GitHub App installation on ${repo.fullName}`,
        credential: this.credentialDescription,
        repo: repo.fullName,
      });
      if (wrapped.status === 404) {
        wrapped.message = `${wrapped.message.split(':')[0]}: the App is not installed on ${repo.fullName}; install it there (Settings → GitHub Apps) or set GITHUB_APP_INSTALLATION_ID`;
      }
      throw wrapped;
    }
  }
}
