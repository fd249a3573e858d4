import { issueComment, label } from '../factories.js';
import { integration } from '../factories-apps.js';
import { HttpError, notFound, validationFailed, type ApiContext } from '../http.js';
import { route, type Route } from '../router.js';
import type { LabelRecord, PullRecord, RepoRecord } from '../state.js';
import {
  association,
  BODY_LIMIT,
  callerUser,
  labelsOf,
  loadRepo,
  paginate,
  pullByNumber,
  requireAppPermission,
  touch,
} from './common.js';

const DOC_CREATE_LABEL = 'https://docs.github.com/rest/issues/labels#create-a-label';
const DOC_ADD_LABELS = 'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue';
const DOC_COMMENT = 'https://docs.github.com/rest/issues/comments#create-an-issue-comment';
/** Labels and comments on a pull request accept either App permission. */
const ISSUE_AREAS = ['issues', 'pull_requests'] as const;

function newLabel(ctx: ApiContext, repo: RepoRecord, name: string, color: string, description: string | null): LabelRecord {
  const l: LabelRecord = { id: ctx.svc.world.newId(), name, color: color.toLowerCase(), description, default: false };
  repo.labels.set(name.toLowerCase(), l);
  return l;
}

/** Accepts `{labels: ["a"]}`, `{labels: [{name: "a"}]}` or a bare array, as GitHub does. */
function labelNames(body: unknown): string[] | null {
  const list = Array.isArray(body) ? body : (body as { labels?: unknown } | undefined)?.labels;
  if (!Array.isArray(list)) return null;
  const names = list.map((x) => (typeof x === 'string' ? x : (x as { name?: unknown } | null)?.name));
  return names.every((n): n is string => typeof n === 'string' && n.trim() !== '') ? names : null;
}

/** Missing labels are created on the fly with GitHub's defaults: grey `ededed`, no description. */
function applyLabels(ctx: ApiContext, repo: RepoRecord, pr: PullRecord, names: string[], replace: boolean): void {
  if (replace) pr.labels = [];
  for (const name of names) {
    const key = name.toLowerCase();
    if (!repo.labels.has(key)) newLabel(ctx, repo, name, 'ededed', null);
    if (!pr.labels.includes(key)) pr.labels.push(key);
  }
  touch(ctx.svc, repo, pr);
}

function issueLabels(ctx: ApiContext, repo: RepoRecord, pr: PullRecord) {
  return labelsOf(repo, pr).map((l) => label(ctx.svc.urls, repo, l));
}

export const issueRoutes: Route[] = [
  route('GET', '/repos/:owner/:repo/labels', (ctx) => {
    const { repo } = loadRepo(ctx);
    const { page, headers } = paginate(ctx, [...repo.labels.values()]);
    ctx.json(200, page.map((l) => label(ctx.svc.urls, repo, l)), headers);
  }),

  route('GET', '/repos/:owner/:repo/labels/:name', (ctx) => {
    const { repo } = loadRepo(ctx);
    const l = repo.labels.get(ctx.param('name').toLowerCase());
    if (!l) throw notFound();
    ctx.json(200, label(ctx.svc.urls, repo, l));
  }),

  route('POST', '/repos/:owner/:repo/labels', (ctx) => {
    const { repo } = loadRepo(ctx, 'write');
    requireAppPermission(ctx, ISSUE_AREAS, 'write', DOC_CREATE_LABEL);
    const b = ctx.bodyObject();
    if (typeof b.name !== 'string' || b.name.trim() === '') {
      throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'name' }], DOC_CREATE_LABEL);
    }
    const color = typeof b.color === 'string' ? b.color.replace(/^#/, '') : 'ededed';
    if (!/^[0-9a-fA-F]{6}$/.test(color)) {
      throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }], DOC_CREATE_LABEL);
    }
    if (repo.labels.has(b.name.toLowerCase())) {
      throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }], DOC_CREATE_LABEL);
    }
    const description = typeof b.description === 'string' ? b.description : null;
    const l = newLabel(ctx, repo, b.name, color, description);
    ctx.json(201, label(ctx.svc.urls, repo, l), {
      location: `${ctx.svc.urls.api}/repos/${repo.fullName}/labels/${encodeURIComponent(l.name)}`,
    });
  }),

  route('GET', '/repos/:owner/:repo/issues/:number/labels', (ctx) => {
    const { repo } = loadRepo(ctx);
    const pr = pullByNumber(ctx, repo);
    const { page, headers } = paginate(ctx, issueLabels(ctx, repo, pr));
    ctx.json(200, page, headers);
  }),

  route('POST', '/repos/:owner/:repo/issues/:number/labels', (ctx) => {
    const { repo } = loadRepo(ctx, 'write');
    requireAppPermission(ctx, ISSUE_AREAS, 'write', DOC_ADD_LABELS);
    const pr = pullByNumber(ctx, repo);
    const names = labelNames(ctx.body);
    if (!names) throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'labels' }], DOC_ADD_LABELS);
    applyLabels(ctx, repo, pr, names, false);
    ctx.json(200, issueLabels(ctx, repo, pr));
  }),

  route('PUT', '/repos/:owner/:repo/issues/:number/labels', (ctx) => {
    const { repo } = loadRepo(ctx, 'write');
    requireAppPermission(ctx, ISSUE_AREAS, 'write', DOC_ADD_LABELS);
    const pr = pullByNumber(ctx, repo);
    const names = ctx.body === undefined ? [] : labelNames(ctx.body);
    if (!names) throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'labels' }], DOC_ADD_LABELS);
    applyLabels(ctx, repo, pr, names, true);
    ctx.json(200, issueLabels(ctx, repo, pr));
  }),

  route('DELETE', '/repos/:owner/:repo/issues/:number/labels/:name', (ctx) => {
    const { repo } = loadRepo(ctx, 'write');
    requireAppPermission(ctx, ISSUE_AREAS, 'write');
    const pr = pullByNumber(ctx, repo);
    const key = ctx.param('name').toLowerCase();
    if (!pr.labels.includes(key)) throw new HttpError(404, 'Label does not exist');
    pr.labels = pr.labels.filter((k) => k !== key);
    touch(ctx.svc, repo, pr);
    ctx.json(200, issueLabels(ctx, repo, pr));
  }),

  route('GET', '/repos/:owner/:repo/issues/:number/comments', (ctx) => {
    const { repo } = loadRepo(ctx);
    const pr = pullByNumber(ctx, repo);
    const all = repo.comments.filter((c) => c.issue === pr.number);
    const { page, headers } = paginate(ctx, all);
    ctx.json(
      200,
      page.map((c) => {
        const app = c.viaAppId ? ctx.svc.creds.apps.get(c.viaAppId) : undefined;
        return issueComment(ctx.svc.urls, repo, c, association(ctx.svc, repo, c.user), app ? integration(ctx.svc.urls, app) : null);
      }),
      headers,
    );
  }),

  route('POST', '/repos/:owner/:repo/issues/:number/comments', (ctx) => {
    const { repo } = loadRepo(ctx);
    requireAppPermission(ctx, ISSUE_AREAS, 'write', DOC_COMMENT);
    const pr = pullByNumber(ctx, repo);
    const user = callerUser(ctx);
    const b = ctx.bodyObject();
    if (typeof b.body !== 'string' || b.body === '') {
      throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], DOC_COMMENT);
    }
    if (b.body.length > BODY_LIMIT) {
      throw validationFailed(
        [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${BODY_LIMIT} characters)` }],
        DOC_COMMENT,
      );
    }
    const now = ctx.svc.world.isoNow();
    const app = ctx.principal.kind === 'installation' ? ctx.principal.token.installation.app : null;
    const c = { id: ctx.svc.world.newId(), issue: pr.number, body: b.body, user, createdAt: now, updatedAt: now, viaAppId: app?.id ?? null };
    repo.comments.push(c);
    touch(ctx.svc, repo, pr);
    ctx.json(201, issueComment(ctx.svc.urls, repo, c, association(ctx.svc, repo, user), app ? integration(ctx.svc.urls, app) : null), {
      location: `${ctx.svc.urls.api}/repos/${repo.fullName}/issues/comments/${c.id}`,
    });
  }),
];
