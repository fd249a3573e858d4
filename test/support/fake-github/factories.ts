import type { components } from '@octokit/openapi-types';
import type { RateSnapshot } from './rate-limit.js';
import type {
  Access,
  CommentRecord,
  LabelRecord,
  PullRecord,
  RepoRecord,
  TeamRecord,
  UserRecord,
} from './state.js';

type S = components['schemas'];

/**
 * GitHub sends `description: null` on labels inside pull-request-simple (recorded in @octokit/fixtures
 * add-labels-to-issue), but the OpenAPI description declares a non-null string there. Keep the real shape.
 */
export type PullRequestSimple = Omit<S['pull-request-simple'], 'labels'> & { labels: S['pull-request']['labels'] };

export interface Urls {
  /** Web and git origin, e.g. http://127.0.0.1:PORT */
  web: string;
  /** REST base, e.g. http://127.0.0.1:PORT/api/v3 */
  api: string;
}

/** The legacy global node id format ("MDQ6VXNlcjE=" is base64 of "04:User1"). */
export const nodeId = (type: string, id: number): string =>
  Buffer.from(`0${type.length}:${type}${id}`).toString('base64');

export const encPath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');
export const repoApi = (u: Urls, repo: RepoRecord): string => `${u.api}/repos/${repo.fullName}`;
export const repoWeb = (u: Urls, repo: RepoRecord): string => `${u.web}/${repo.fullName}`;

export function simpleUser(u: Urls, user: UserRecord) {
  const login = encodeURIComponent(user.login); // sync-bot[bot] -> sync-bot%5Bbot%5D, a valid URI
  const api = `${u.api}/users/${login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Organization' ? 'Organization' : user.type === 'Bot' ? 'Bot' : 'User', user.id),
    avatar_url: `${u.web}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: user.appSlug ? `${u.web}/apps/${user.appSlug}` : `${u.web}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  } satisfies S['simple-user'];
}

export function publicUser(u: Urls, user: UserRecord, createdAt: string) {
  return {
    ...simpleUser(u, user),
    name: user.name,
    company: null,
    blog: '',
    location: null,
    email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: createdAt,
    updated_at: createdAt,
  } satisfies S['public-user'];
}

export function repoPermissions(access: Access) {
  return {
    admin: access === 'admin',
    maintain: access === 'admin',
    push: access === 'admin' || access === 'write',
    triage: access !== 'none' && access !== 'read',
    pull: access !== 'none',
  };
}

function repoCore(u: Urls, repo: RepoRecord) {
  const r = repoApi(u, repo);
  const host = new URL(u.web).host;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: simpleUser(u, repo.owner),
    private: repo.private,
    html_url: repoWeb(u, repo),
    description: repo.description,
    fork: false,
    url: r,
    archive_url: `${r}/{archive_format}{/ref}`,
    assignees_url: `${r}/assignees{/user}`,
    blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`,
    commits_url: `${r}/commits{/sha}`,
    compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`,
    contributors_url: `${r}/contributors`,
    deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`,
    events_url: `${r}/events`,
    forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    git_url: `git://${host}/${repo.fullName}.git`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`,
    keys_url: `${r}/keys{/key_id}`,
    labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`,
    merges_url: `${r}/merges`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`,
    ssh_url: `git@${host}:${repo.fullName}.git`,
    stargazers_url: `${r}/stargazers`,
    statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    tags_url: `${r}/tags`,
    teams_url: `${r}/teams`,
    trees_url: `${r}/git/trees{/sha}`,
    clone_url: `${repoWeb(u, repo)}.git`,
    mirror_url: null,
    hooks_url: `${r}/hooks`,
    svn_url: repoWeb(u, repo),
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues_count: openCount(repo),
    open_issues: openCount(repo),
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
  };
}

const openCount = (repo: RepoRecord): number => [...repo.pulls.values()].filter((p) => p.state === 'open').length;

export function repository(u: Urls, repo: RepoRecord) {
  return repoCore(u, repo) satisfies S['repository'];
}

/** `GET /repos/{o}/{r}`; GitHub omits `permissions` for anonymous callers. */
export function fullRepository(u: Urls, repo: RepoRecord, access: Access | null) {
  return {
    ...repoCore(u, repo),
    ...(access === null ? {} : { permissions: repoPermissions(access) }),
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_update_branch: false,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE' as const,
    squash_merge_commit_message: 'COMMIT_MESSAGES' as const,
    merge_commit_title: 'MERGE_MESSAGE' as const,
    merge_commit_message: 'PR_TITLE' as const,
    temp_clone_token: repo.private ? '' : null,
    ...(repo.owner.type === 'Organization' ? { organization: simpleUser(u, repo.owner) } : {}),
    network_count: 0,
    subscribers_count: 0,
  } satisfies S['full-repository'];
}

export function label(u: Urls, repo: RepoRecord, l: LabelRecord) {
  return {
    id: l.id,
    node_id: nodeId('Label', l.id),
    url: `${repoApi(u, repo)}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: l.default,
    description: l.description,
  } satisfies S['label'];
}

export function team(u: Urls, t: TeamRecord, orgId: number) {
  const base = `${u.api}/organizations/${orgId}/team/${t.id}`;
  return {
    id: t.id,
    node_id: nodeId('Team', t.id),
    url: base,
    html_url: `${u.web}/orgs/${t.org}/teams/${t.slug}`,
    name: t.name,
    slug: t.slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${base}/members{/member}`,
    repositories_url: `${base}/repos`,
    type: 'organization' as const,
    organization_id: orgId,
  } satisfies S['team-simple'];
}

export function teamWithParent(u: Urls, t: TeamRecord, orgId: number) {
  return { ...team(u, t, orgId), parent: null } satisfies S['team'];
}

export type AuthorAssociation = S['author-association'];

export interface PullView {
  repo: RepoRecord;
  pr: PullRecord;
  labels: LabelRecord[];
  baseSha: string;
  association: AuthorAssociation;
  orgId: number;
}

function pullCore(u: Urls, v: PullView) {
  const { repo, pr } = v;
  const r = repoApi(u, repo);
  const html = `${repoWeb(u, repo)}/pull/${pr.number}`;
  const owner = simpleUser(u, repo.owner);
  const links = {
    self: { href: `${r}/pulls/${pr.number}` },
    html: { href: html },
    issue: { href: `${r}/issues/${pr.number}` },
    comments: { href: `${r}/issues/${pr.number}/comments` },
    review_comments: { href: `${r}/pulls/${pr.number}/comments` },
    review_comment: { href: `${r}/pulls/comments{/number}` },
    commits: { href: `${r}/pulls/${pr.number}/commits` },
    statuses: { href: `${r}/statuses/${pr.headSha}` },
  };
  return {
    url: `${r}/pulls/${pr.number}`,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${r}/issues/${pr.number}`,
    commits_url: `${r}/pulls/${pr.number}/commits`,
    review_comments_url: `${r}/pulls/${pr.number}/comments`,
    review_comment_url: `${r}/pulls/comments{/number}`,
    comments_url: `${r}/issues/${pr.number}/comments`,
    statuses_url: `${r}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: simpleUser(u, pr.user),
    body: pr.body,
    labels: v.labels.map((l) => label(u, repo, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: pr.requestedReviewers.map((x) => simpleUser(u, x)),
    head: { label: `${repo.owner.login}:${pr.headRef}`, ref: pr.headRef, sha: pr.headSha, user: owner, repo: repository(u, repo) },
    base: { label: `${repo.owner.login}:${pr.baseRef}`, ref: pr.baseRef, sha: v.baseSha, user: owner, repo: repository(u, repo) },
    _links: links,
    author_association: v.association,
    auto_merge: null,
    draft: pr.draft,
  };
}

export function pullSimple(u: Urls, v: PullView) {
  return {
    ...pullCore(u, v),
    requested_teams: v.pr.requestedTeams.map((t) => teamWithParent(u, t, v.orgId)),
  } satisfies PullRequestSimple;
}

export function pullFull(
  u: Urls,
  v: PullView,
  stats: { commits: number; additions: number; deletions: number; changedFiles: number },
  comments: number,
) {
  return {
    ...pullCore(u, v),
    requested_teams: v.pr.requestedTeams.map((t) => team(u, t, v.orgId)),
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments,
    review_comments: 0,
    maintainer_can_modify: v.pr.maintainerCanModify,
    commits: stats.commits,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: stats.changedFiles,
  } satisfies S['pull-request'];
}

export function issueComment(
  u: Urls,
  repo: RepoRecord,
  c: CommentRecord,
  association: AuthorAssociation,
  /** `performed_via_github_app`: the App object when an installation token posted it. */
  viaApp: NonNullable<S['integration']> | null,
) {
  const r = repoApi(u, repo);
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${r}/issues/comments/${c.id}`,
    html_url: `${repoWeb(u, repo)}/pull/${c.issue}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(u, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${r}/issues/${c.issue}`,
    author_association: association,
    performed_via_github_app: viaApp,
    reactions: {
      url: `${r}/issues/comments/${c.id}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      confused: 0,
      heart: 0,
      hooray: 0,
      eyes: 0,
      rocket: 0,
    },
  } satisfies S['issue-comment'];
}

export function rateLimitOverview(core: RateSnapshot) {
  const other = (limit: number) => ({ limit, remaining: limit, reset: core.reset, used: 0 });
  return {
    resources: {
      core,
      search: other(30),
      graphql: other(5000),
      integration_manifest: other(5000),
      code_search: other(10),
    },
    rate: core,
  } satisfies S['rate-limit-overview'];
}
