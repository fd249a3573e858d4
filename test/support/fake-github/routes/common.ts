import { atLeast } from '../auth.js';
import { HttpError, notFound, type ApiContext, type Services } from '../http.js';
import type { AuthorAssociation, PullView } from '../factories.js';
import type { Access, LabelRecord, PullRecord, RepoRecord, UserRecord } from '../state.js';

/**
 * The repository named by :owner/:repo, checked against the caller. No access (or a private repo the
 * caller cannot see) is a 404, as on GitHub, so the existence of private repositories never leaks.
 */
export function loadRepo(ctx: ApiContext, need: Access = 'read'): { repo: RepoRecord; access: Access } {
  const repo = ctx.svc.world.repo(ctx.param('owner'), ctx.param('repo'));
  if (!repo) throw notFound();
  const access = ctx.svc.creds.accessTo(ctx.principal, repo);
  if (access === 'none') throw notFound();
  if (!atLeast(access, need)) {
    throw ctx.principal.kind === 'installation'
      ? new HttpError(403, 'Resource not accessible by integration')
      : notFound();
  }
  return { repo, access };
}

/** An App's installation token also needs the matching App permission (any of `areas`). */
export function requireAppPermission(ctx: ApiContext, areas: readonly string[], level: 'read' | 'write', docs?: string): void {
  if (!ctx.svc.creds.installationAllows(ctx.principal, areas, level)) {
    throw new HttpError(403, 'Resource not accessible by integration', docs ? { documentationUrl: docs } : {});
  }
}

export function callerUser(ctx: ApiContext): UserRecord {
  const p = ctx.principal;
  if (p.kind === 'token' || p.kind === 'installation') return p.user;
  throw new HttpError(401, 'Requires authentication');
}

export function pullByNumber(ctx: ApiContext, repo: RepoRecord): PullRecord {
  const n = Number(ctx.param('number'));
  const pr = Number.isInteger(n) ? repo.pulls.get(n) : undefined;
  if (!pr) throw notFound();
  return pr;
}

export function isCollaborator(svc: Services, repo: RepoRecord, login: string): boolean {
  const l = login.toLowerCase();
  return l === repo.owner.login.toLowerCase() || repo.collaborators.has(l) || svc.creds.tokenUserCovers(login, repo);
}

export function association(svc: Services, repo: RepoRecord, user: UserRecord): AuthorAssociation {
  if (user.login.toLowerCase() === repo.owner.login.toLowerCase()) return 'OWNER';
  return isCollaborator(svc, repo, user.login) ? 'COLLABORATOR' : 'NONE';
}

export function labelsOf(repo: RepoRecord, pr: PullRecord): LabelRecord[] {
  return pr.labels.map((k) => repo.labels.get(k)).filter((l): l is LabelRecord => l !== undefined);
}

/** Open pull requests follow their head branch, as GitHub's refs/pull/N/head does. */
export async function pullView(svc: Services, repo: RepoRecord, pr: PullRecord, branches?: Map<string, string>): Promise<PullView> {
  const map = branches ?? (await svc.store.branches(repo.gitDir));
  const head = map.get(pr.headRef);
  if (pr.state === 'open' && head) pr.headSha = head;
  return {
    repo,
    pr,
    labels: labelsOf(repo, pr),
    baseSha: map.get(pr.baseRef) ?? '',
    association: association(svc, repo, pr.user),
    orgId: repo.owner.id,
  };
}

/** `per_page` (default 30, max 100) and `page`, with a GitHub-style Link header. */
export function paginate<T>(ctx: ApiContext, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number): string => {
    const q = new URLSearchParams(ctx.query);
    q.set('per_page', String(perPage));
    q.set('page', String(p));
    return `<${ctx.svc.urls.api}${ctx.path}?${q.toString()}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${link(page - 1)}; rel="prev"`);
  if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) rels.push(`${link(1)}; rel="first"`);
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length > 0 ? { link: rels.join(', ') } : {},
  };
}

/** GitHub's PR and comment body limit, checked in characters. */
export const BODY_LIMIT = 65536;

export function touch(svc: Services, repo: RepoRecord, pr?: PullRecord): void {
  const now = svc.world.isoNow();
  repo.updatedAt = now;
  if (pr) pr.updatedAt = now;
}
