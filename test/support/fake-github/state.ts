export type Permission = 'read' | 'write' | 'admin';
export type Access = 'none' | Permission;

export interface UserRecord {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  name: string | null;
  email: string | null;
  /** For `[bot]` users: the App's slug, which GitHub uses in the html_url. */
  appSlug?: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  user: UserRecord;
  createdAt: string;
  updatedAt: string;
  /** The App whose installation token posted it (GitHub shows `performed_via_github_app`). */
  viaAppId: number | null;
}

export interface TeamRecord {
  id: number;
  org: string;
  slug: string;
  name: string;
}

export interface PullRecord {
  id: number;
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  user: UserRecord;
  /** Lower-cased label names, in the order they were added. */
  labels: string[];
  requestedReviewers: UserRecord[];
  requestedTeams: TeamRecord[];
  draft: boolean;
  maintainerCanModify: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface RepoRecord {
  id: number;
  owner: UserRecord;
  name: string;
  fullName: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  gitDir: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, LabelRecord>;
  pulls: Map<number, PullRecord>;
  comments: CommentRecord[];
  /** Keyed by lower-cased login. */
  collaborators: Map<string, Permission>;
  /** Issue and pull request numbers share one sequence, as on GitHub. */
  nextNumber: number;
}

/** GitHub's default label set for new repositories. */
export const DEFAULT_LABELS: ReadonlyArray<Pick<LabelRecord, 'name' | 'color' | 'description'>> = [
  { name: 'bug', color: 'd73a4a', description: "Something isn't working" },
  { name: 'documentation', color: '0075ca', description: 'Improvements or additions to documentation' },
  { name: 'duplicate', color: 'cfd3d7', description: 'This issue or pull request already exists' },
  { name: 'enhancement', color: 'a2eeef', description: 'New feature or request' },
  { name: 'good first issue', color: '7057ff', description: 'Good for newcomers' },
  { name: 'help wanted', color: '008672', description: 'Extra attention is needed' },
  { name: 'invalid', color: 'e4e669', description: "This doesn't seem right" },
  { name: 'question', color: 'd876e3', description: 'Further information is requested' },
  { name: 'wontfix', color: 'ffffff', description: 'This will not be worked on' },
];

export const repoKey = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();

/** All in-memory GitHub state except credentials (auth.ts) and git objects (git-store.ts). */
export class World {
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly teams = new Map<string, TeamRecord>();
  private nextId = 1000;

  /** Server clock offset in seconds, applied to `Date` headers and JWT checks. */
  clockSkewSec = 0;

  newId(): number {
    return this.nextId++;
  }

  nowMs(): number {
    return Date.now() + this.clockSkewSec * 1000;
  }

  /** GitHub timestamps have second precision and a `Z` suffix. */
  isoNow(): string {
    return new Date(this.nowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  user(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  ensureUser(login: string, type: UserRecord['type'] = 'User', extra: Partial<UserRecord> = {}): UserRecord {
    const existing = this.user(login);
    if (existing) {
      // An owner first seen through createRepo is assumed to be an organization until a token says otherwise.
      if (existing.type === 'Organization' && type !== 'Organization') existing.type = type;
      Object.assign(existing, extra);
      return existing;
    }
    const user: UserRecord = { id: this.newId(), login, type, name: null, email: null, ...extra };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(repoKey(owner, name));
  }

  addTeam(org: string, slug: string, name?: string): TeamRecord {
    const key = `${org}/${slug}`.toLowerCase();
    const existing = this.teams.get(key);
    if (existing) return existing;
    const team: TeamRecord = { id: this.newId(), org, slug, name: name ?? slug };
    this.teams.set(key, team);
    return team;
  }

  team(org: string, slug: string): TeamRecord | undefined {
    return this.teams.get(`${org}/${slug}`.toLowerCase());
  }
}
