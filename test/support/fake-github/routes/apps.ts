import type { AppPermissionLevel, AppRecord, InstallationRecord } from '../auth.js';
import { installation, installationToken, integration } from '../factories-apps.js';
import { HttpError, notFound, type ApiContext } from '../http.js';
import { route, type Route } from '../router.js';
import { repoKey, type RepoRecord } from '../state.js';

const DOC_TOKEN = 'https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app';

/** App endpoints take only the App's JWT; a user or installation token is "not a JWT" to GitHub. */
function requireJwt(ctx: ApiContext): AppRecord {
  if (ctx.principal.kind !== 'jwt') throw new HttpError(401, 'A JSON web token could not be decoded');
  return ctx.principal.app;
}

function ownInstallation(ctx: ApiContext, app: AppRecord): InstallationRecord {
  const inst = app.installations.get(Number(ctx.param('id')));
  if (!inst) throw notFound();
  return inst;
}

const installationCovers = (inst: InstallationRecord, repo: RepoRecord): boolean =>
  inst.repos === '*' ? inst.account.id === repo.owner.id : inst.repos.has(repoKey(repo.owner.login, repo.name));

export const appRoutes: Route[] = [
  route('GET', '/app', (ctx) => {
    ctx.json(200, integration(ctx.svc.urls, requireJwt(ctx)));
  }),

  route('GET', '/app/installations', (ctx) => {
    const app = requireJwt(ctx);
    ctx.json(200, [...app.installations.values()].map((i) => installation(ctx.svc.urls, i)));
  }),

  route('GET', '/app/installations/:id', (ctx) => {
    const app = requireJwt(ctx);
    ctx.json(200, installation(ctx.svc.urls, ownInstallation(ctx, app)));
  }),

  route('GET', '/repos/:owner/:repo/installation', (ctx) => {
    const app = requireJwt(ctx);
    const repo = ctx.svc.world.repo(ctx.param('owner'), ctx.param('repo'));
    const inst = repo ? [...app.installations.values()].find((i) => installationCovers(i, repo)) : undefined;
    if (!inst) throw notFound('https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app');
    ctx.json(200, installation(ctx.svc.urls, inst));
  }),

  route('POST', '/app/installations/:id/access_tokens', (ctx) => {
    const app = requireJwt(ctx);
    const inst = ownInstallation(ctx, app);
    const b = ctx.bodyObject();
    const { world, creds, urls } = ctx.svc;

    let repos: RepoRecord[] | null = null;
    const names = Array.isArray(b.repositories) ? b.repositories.filter((x): x is string => typeof x === 'string') : null;
    const ids = Array.isArray(b.repository_ids) ? b.repository_ids.filter((x): x is number => typeof x === 'number') : null;
    if (names || ids) {
      const all = [...world.repos.values()].filter((r) => installationCovers(inst, r));
      const picked = [
        ...(names ?? []).map((n) => all.find((r) => r.name.toLowerCase() === n.toLowerCase())),
        ...(ids ?? []).map((id) => all.find((r) => r.id === id)),
      ];
      if (picked.some((r) => r === undefined)) {
        throw new HttpError(422, 'There is at least one repository that does not exist or is not accessible to the parent installation.', {
          documentationUrl: DOC_TOKEN,
        });
      }
      repos = picked.filter((r): r is RepoRecord => r !== undefined);
    }

    let permissions = inst.permissions;
    if (b.permissions && typeof b.permissions === 'object') {
      const requested = b.permissions as Record<string, unknown>;
      const narrowed: Record<string, AppPermissionLevel> = {};
      for (const [k, v] of Object.entries(requested)) {
        const have = inst.permissions[k];
        const ok = (v === 'read' && (have === 'read' || have === 'write')) || (v === 'write' && have === 'write');
        if (!ok) {
          throw new HttpError(422, 'The permissions requested are not granted to this installation.', { documentationUrl: DOC_TOKEN });
        }
        narrowed[k] = v as AppPermissionLevel;
      }
      permissions = narrowed;
    }

    const scope = repos ? new Set(repos.map((r) => repoKey(r.owner.login, r.name))) : inst.repos;
    const { token, record } = creds.mintInstallationToken(inst, scope, permissions);
    ctx.json(201, installationToken(urls, token, record.expiresAtMs, inst, permissions, repos));
  }),
];
