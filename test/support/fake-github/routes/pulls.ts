import { pullFull, pullSimple } from '../factories.js';
import { HttpError, validationFailed, type ApiContext, type ValidationErrorItem } from '../http.js';
import { route, type Route } from '../router.js';
import type { PullRecord, RepoRecord } from '../state.js';
import {
  BODY_LIMIT,
  callerUser,
  loadRepo,
  paginate,
  pullByNumber,
  pullView,
  requireAppPermission,
  touch,
} from './common.js';

const DOC_CREATE = 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request';
const DOC_UPDATE = 'https://docs.github.com/rest/pulls/pulls#update-a-pull-request';

async function renderFull(ctx: ApiContext, repo: RepoRecord, pr: PullRecord) {
  const view = await pullView(ctx.svc, repo, pr);
  const stats = view.baseSha
    ? await ctx.svc.store.diffStats(repo.gitDir, view.baseSha, pr.headSha)
    : { commits: 0, additions: 0, deletions: 0, changedFiles: 0 };
  const comments = repo.comments.filter((c) => c.issue === pr.number).length;
  return pullFull(ctx.svc.urls, view, stats, comments);
}

function bodyTooLong(body: unknown): ValidationErrorItem | null {
  return typeof body === 'string' && body.length > BODY_LIMIT
    ? { resource: 'PullRequest', code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }
    : null;
}

const alreadyExists = (repo: RepoRecord, head: string): ValidationErrorItem => ({
  resource: 'PullRequest',
  code: 'custom',
  message: `A pull request already exists for ${repo.owner.login}:${head}.`,
});

const openDuplicate = (repo: RepoRecord, head: string, base: string, except?: PullRecord): PullRecord | undefined =>
  [...repo.pulls.values()].find((p) => p !== except && p.state === 'open' && p.headRef === head && p.baseRef === base);

export const pullRoutes: Route[] = [
  route('GET', '/repos/:owner/:repo/pulls', async (ctx) => {
    const { repo } = loadRepo(ctx);
    requireAppPermission(ctx, ['pull_requests'], 'read');
    const state = ctx.query.get('state') ?? 'open';
    const head = ctx.query.get('head');
    const base = ctx.query.get('base');
    let items = [...repo.pulls.values()];
    if (state !== 'all') items = items.filter((p) => p.state === state);
    // GitHub honours `head` only as "owner:branch"; a bare branch name is silently ignored.
    if (head?.includes(':')) {
      const [owner = '', branch = ''] = head.split(/:(.*)/s);
      items = items.filter((p) => owner.toLowerCase() === repo.owner.login.toLowerCase() && p.headRef === branch);
    }
    if (base) items = items.filter((p) => p.baseRef === base);
    const sort = ctx.query.get('sort') ?? 'created';
    const key = (p: PullRecord): string => (sort === 'updated' ? p.updatedAt : p.createdAt) + String(p.number).padStart(9, '0');
    // GitHub's default direction: desc for `created`, asc for anything else.
    const direction = ctx.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
    items.sort((a, b) => (key(a) < key(b) ? -1 : 1) * (direction === 'asc' ? 1 : -1));
    const { page, headers } = paginate(ctx, items);
    const branches = await ctx.svc.store.branches(repo.gitDir);
    const views = await Promise.all(page.map((p) => pullView(ctx.svc, repo, p, branches)));
    ctx.json(200, views.map((v) => pullSimple(ctx.svc.urls, v)), headers);
  }),

  route('POST', '/repos/:owner/:repo/pulls', async (ctx) => {
    const { repo } = loadRepo(ctx);
    requireAppPermission(ctx, ['pull_requests'], 'write', DOC_CREATE);
    const user = callerUser(ctx);
    const b = ctx.bodyObject();
    const missing = (['title', 'head', 'base'] as const).filter((f) => typeof b[f] !== 'string' || b[f] === '');
    if (missing.length > 0) {
      throw validationFailed(missing.map((field) => ({ resource: 'PullRequest', code: 'missing_field', field })), DOC_CREATE);
    }
    const title = String(b.title);
    const base = String(b.base);
    let head = String(b.head);
    const errors: ValidationErrorItem[] = [];
    if (head.includes(':')) {
      const [owner = '', branch = ''] = head.split(/:(.*)/s);
      // Forks are not modelled: a head in another owner's namespace cannot exist here.
      if (owner.toLowerCase() !== repo.owner.login.toLowerCase()) errors.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
      head = branch;
    }
    const branches = await ctx.svc.store.branches(repo.gitDir);
    const headSha = branches.get(head);
    const baseSha = branches.get(base);
    if (!headSha && errors.length === 0) errors.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
    if (!baseSha) errors.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
    const tooLong = bodyTooLong(b.body);
    if (tooLong) errors.push(tooLong);
    if (errors.length > 0 || !headSha || !baseSha) throw validationFailed(errors, DOC_CREATE);
    if (openDuplicate(repo, head, base)) throw validationFailed([alreadyExists(repo, head)], DOC_CREATE);
    if (await ctx.svc.store.isAncestor(repo.gitDir, headSha, baseSha)) {
      throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }], DOC_CREATE);
    }
    const now = ctx.svc.world.isoNow();
    const pr: PullRecord = {
      id: ctx.svc.world.newId(),
      number: repo.nextNumber++,
      state: 'open',
      title,
      body: typeof b.body === 'string' ? b.body : null,
      headRef: head,
      headSha,
      baseRef: base,
      user,
      labels: [],
      requestedReviewers: [],
      requestedTeams: [],
      draft: b.draft === true,
      maintainerCanModify: b.maintainer_can_modify !== false,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    repo.pulls.set(pr.number, pr);
    await ctx.svc.store.updateRef(repo.gitDir, `refs/pull/${pr.number}/head`, headSha);
    touch(ctx.svc, repo);
    ctx.json(201, await renderFull(ctx, repo, pr), { location: `${ctx.svc.urls.api}/repos/${repo.fullName}/pulls/${pr.number}` });
  }),

  route('GET', '/repos/:owner/:repo/pulls/:number', async (ctx) => {
    const { repo } = loadRepo(ctx);
    requireAppPermission(ctx, ['pull_requests'], 'read');
    ctx.json(200, await renderFull(ctx, repo, pullByNumber(ctx, repo)));
  }),

  route('PATCH', '/repos/:owner/:repo/pulls/:number', async (ctx) => {
    const { repo, access } = loadRepo(ctx);
    requireAppPermission(ctx, ['pull_requests'], 'write', DOC_UPDATE);
    const pr = pullByNumber(ctx, repo);
    const caller = callerUser(ctx);
    if (access === 'read' && caller.id !== pr.user.id) throw new HttpError(403, 'Must have push access to update this pull request', { documentationUrl: DOC_UPDATE });
    const b = ctx.bodyObject();
    const errors: ValidationErrorItem[] = [];
    const tooLong = bodyTooLong(b.body);
    if (tooLong) errors.push(tooLong);
    if (b.state !== undefined && b.state !== 'open' && b.state !== 'closed') errors.push({ resource: 'PullRequest', field: 'state', code: 'invalid' });
    if (b.title !== undefined && (typeof b.title !== 'string' || b.title === '')) errors.push({ resource: 'PullRequest', field: 'title', code: 'missing_field' });
    const branches = await ctx.svc.store.branches(repo.gitDir);
    if (b.base !== undefined && (typeof b.base !== 'string' || !branches.has(b.base))) errors.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
    if (errors.length > 0) throw validationFailed(errors, DOC_UPDATE);

    const newBase = typeof b.base === 'string' ? b.base : pr.baseRef;
    if (b.state === 'open' && pr.state === 'closed') {
      if (!branches.has(pr.headRef)) {
        throw validationFailed(
          [{ resource: 'PullRequest', code: 'custom', field: 'state', message: `state cannot be changed. The ${pr.headRef} branch has been deleted.` }],
          DOC_UPDATE,
        );
      }
      if (openDuplicate(repo, pr.headRef, newBase, pr)) throw validationFailed([alreadyExists(repo, pr.headRef)], DOC_UPDATE);
    }
    if (typeof b.title === 'string') pr.title = b.title;
    if (typeof b.body === 'string' || b.body === null) pr.body = b.body;
    pr.baseRef = newBase;
    if (typeof b.maintainer_can_modify === 'boolean') pr.maintainerCanModify = b.maintainer_can_modify;
    if (b.state === 'closed' && pr.state === 'open') {
      pr.state = 'closed';
      pr.closedAt = ctx.svc.world.isoNow();
    } else if (b.state === 'open' && pr.state === 'closed') {
      pr.state = 'open';
      pr.closedAt = null;
    }
    touch(ctx.svc, repo, pr);
    ctx.json(200, await renderFull(ctx, repo, pr));
  }),
];
