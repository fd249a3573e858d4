import type { components } from '@octokit/openapi-types';
import type { AppPermissionLevel, AppRecord, InstallationRecord } from './auth.js';
import { nodeId, repository, simpleUser, type Urls } from './factories.js';
import type { RepoRecord } from './state.js';

type S = components['schemas'];

/** Shapes of GitHub App objects: the App, its installations and installation tokens. */

const APP_PERMISSION_KEYS = ['actions', 'administration', 'checks', 'contents', 'deployments', 'issues', 'metadata', 'pull_requests', 'statuses'] as const;

export function appPermissions(p: Record<string, AppPermissionLevel>): S['app-permissions'] {
  const out: S['app-permissions'] = {};
  for (const k of APP_PERMISSION_KEYS) {
    const v = p[k];
    if (v) out[k] = v;
  }
  if (p.workflows === 'write') out.workflows = 'write';
  return out;
}

export function integration(u: Urls, app: AppRecord) {
  const perms: Record<string, string> = {};
  for (const inst of app.installations.values()) Object.assign(perms, inst.permissions);
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('App', app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, '0')}`,
    owner: simpleUser(u, app.owner),
    name: app.name,
    description: null,
    external_url: u.web,
    html_url: `${u.web}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: perms,
    events: [],
    installations_count: app.installations.size,
  } satisfies NonNullable<S['integration']>;
}

export function installation(u: Urls, inst: InstallationRecord) {
  return {
    id: inst.id,
    account: simpleUser(u, inst.account),
    repository_selection: inst.repos === '*' ? ('all' as const) : ('selected' as const),
    access_tokens_url: `${u.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${u.api}/installation/repositories`,
    html_url: `${u.web}/organizations/${inst.account.login}/settings/installations/${inst.id}`,
    app_id: inst.app.id,
    app_slug: inst.app.slug,
    target_id: inst.account.id,
    target_type: inst.account.type === 'User' ? 'User' : 'Organization',
    permissions: appPermissions(inst.permissions),
    events: [],
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  } satisfies S['installation'];
}

export function installationToken(
  u: Urls,
  token: string,
  expiresAtMs: number,
  inst: InstallationRecord,
  permissions: Record<string, AppPermissionLevel>,
  repos: RepoRecord[] | null,
) {
  return {
    token,
    expires_at: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    permissions: appPermissions(permissions),
    repository_selection: inst.repos === '*' ? ('all' as const) : ('selected' as const),
    ...(repos ? { repositories: repos.map((r) => repository(u, r)) } : {}),
  } satisfies S['installation-token'];
}
