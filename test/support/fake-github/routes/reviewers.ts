import { pullSimple, simpleUser, teamWithParent } from '../factories.js';
import { HttpError } from '../http.js';
import { route, type Route } from '../router.js';
import type { TeamRecord, UserRecord } from '../state.js';
import { isCollaborator, loadRepo, pullByNumber, pullView, requireAppPermission, touch } from './common.js';

const DOC = 'https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request';

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const reviewerRoutes: Route[] = [
  route('GET', '/repos/:owner/:repo/pulls/:number/requested_reviewers', (ctx) => {
    const { repo } = loadRepo(ctx);
    const pr = pullByNumber(ctx, repo);
    ctx.json(200, {
      users: pr.requestedReviewers.map((u) => simpleUser(ctx.svc.urls, u)),
      teams: pr.requestedTeams.map((t) => teamWithParent(ctx.svc.urls, t, repo.owner.id)),
    });
  }),

  route('POST', '/repos/:owner/:repo/pulls/:number/requested_reviewers', async (ctx) => {
    const { repo } = loadRepo(ctx, 'write');
    requireAppPermission(ctx, ['pull_requests'], 'write', DOC);
    const pr = pullByNumber(ctx, repo);
    const b = ctx.bodyObject();
    const logins = stringList(b.reviewers);
    const slugs = stringList(b.team_reviewers);
    if (logins.some((l) => l.toLowerCase() === pr.user.login.toLowerCase())) {
      throw new HttpError(422, 'Review cannot be requested from pull request author.', { documentationUrl: DOC });
    }
    const users: UserRecord[] = [];
    const teams: TeamRecord[] = [];
    let unknown = false;
    for (const l of logins) {
      const u = ctx.svc.world.user(l);
      if (u && isCollaborator(ctx.svc, repo, l)) users.push(u);
      else unknown = true;
    }
    for (const s of slugs) {
      // team_reviewers takes slugs of the repository owner's teams, never "org/slug".
      const t = ctx.svc.world.team(repo.owner.login, s);
      if (t) teams.push(t);
      else unknown = true;
    }
    if (unknown) {
      throw new HttpError(
        422,
        `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.fullName} repository.`,
        { documentationUrl: DOC },
      );
    }
    for (const u of users) if (!pr.requestedReviewers.some((x) => x.id === u.id)) pr.requestedReviewers.push(u);
    for (const t of teams) if (!pr.requestedTeams.some((x) => x.id === t.id)) pr.requestedTeams.push(t);
    touch(ctx.svc, repo, pr);
    ctx.json(201, pullSimple(ctx.svc.urls, await pullView(ctx.svc, repo, pr)));
  }),
];
