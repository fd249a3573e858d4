import { publicUser, rateLimitOverview } from '../factories.js';
import { HttpError, notFound } from '../http.js';
import type { RateSnapshot } from '../rate-limit.js';
import { route, type Route } from '../router.js';

/** `GET /rate_limit` must report the caller's bucket without spending from it; the server passes it in. */
export function userRoutes(peekRate: (rateKey: string, anonymous: boolean) => RateSnapshot): Route[] {
  return [
    route('GET', '/user', (ctx) => {
      const p = ctx.principal;
      if (p.kind === 'none') throw new HttpError(401, 'Requires authentication', { documentationUrl: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' });
      if (p.kind !== 'token') throw new HttpError(403, 'Resource not accessible by integration', { documentationUrl: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' });
      ctx.json(200, publicUser(ctx.svc.urls, p.user, '2020-01-01T00:00:00Z'));
    }),

    route('GET', '/users/:login', (ctx) => {
      const u = ctx.svc.world.user(ctx.param('login'));
      if (!u) throw notFound();
      ctx.json(200, publicUser(ctx.svc.urls, u, '2020-01-01T00:00:00Z'));
    }),

    route('GET', '/rate_limit', (ctx) => {
      ctx.json(200, rateLimitOverview(peekRate(ctx.principal.rateKey, ctx.principal.kind === 'none')));
    }),
  ];
}
