import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { atLeast, type AuthKind, type Principal } from './auth.js';
import { faultReply, primaryLimitMessage, type FaultStore, type FaultType } from './faults.js';
import { runHttpBackend } from './git-cgi.js';
import { ApiContext, errorBody, HttpError, readBody, sleep, type Services } from './http.js';
import type { RateLimiter, RateSnapshot } from './rate-limit.js';
import { findRoute, type Route } from './router.js';

export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Path without the query string; never contains a credential. */
  path: string;
  query: string;
  kind: 'api' | 'git';
  /** What the caller presented; `authFailed` when it was rejected (unknown token, bad JWT…). */
  auth: AuthKind;
  authFailed: boolean;
  authenticated: boolean;
  login: string | null;
  gitService: 'git-upload-pack' | 'git-receive-pack' | null;
  status: number;
  bytesIn: number;
  bytesOut: number;
  /** performance.now() in the server's process when the request arrived (for traces). */
  startedAt: number;
  durationMs: number;
  fault: FaultType | null;
}

export interface UnhandledRequest {
  method: string;
  path: string;
  kind: 'api' | 'git';
}

export interface ServerDeps {
  svc: Services;
  faults: FaultStore;
  limiter: RateLimiter;
  routes: Route[];
  log: RequestLogEntry[];
  unhandled: UnhandledRequest[];
  serverErrors: string[];
  children: Set<ChildProcess>;
  admin: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
}

const API_PREFIX = '/api/v3';
const GIT_PATH = /^\/([^/]+)\/([^/]+?)(?:\.git)?(\/info\/refs|\/git-upload-pack|\/git-receive-pack)$/;
const EXPOSE =
  'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset';

export function createHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  let seq = 0;
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
      deps.serverErrors.push(msg);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`fake-github internal error: ${msg}`);
      } else {
        res.destroy();
      }
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { world } = deps.svc;
    const url = new URL(req.url ?? '/', 'http://fake-github.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    // GitHub's clock, not ours: @octokit/auth-app reads this header to correct JWT clock skew.
    res.setHeader('date', new Date(world.nowMs()).toUTCString());
    if (url.pathname.startsWith('/_admin/')) return deps.admin(req, res, url);

    const gitMatch = GIT_PATH.exec(url.pathname);
    const kind: 'api' | 'git' = gitMatch ? 'git' : 'api';
    const started = performance.now();
    const entry: RequestLogEntry = {
      seq: ++seq,
      method,
      path: url.pathname,
      query: url.search,
      kind,
      auth: 'none',
      authFailed: false,
      authenticated: false,
      login: null,
      gitService: null,
      status: 0,
      bytesIn: 0,
      bytesOut: 0,
      startedAt: started,
      durationMs: 0,
      fault: null,
    };
    deps.log.push(entry);
    res.on('close', () => {
      entry.status = res.headersSent ? res.statusCode : 0;
      entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
    });

    const outcome = deps.svc.creds.resolve(req.headers.authorization);
    if (outcome.ok) {
      entry.auth = outcome.principal.kind;
      entry.authenticated = outcome.principal.kind !== 'none';
      entry.login = loginOf(outcome.principal);
    } else {
      entry.auth = outcome.kind;
      entry.authFailed = true;
    }
    const principal: Principal = outcome.ok ? outcome.principal : { kind: 'none', rateKey: 'anonymous' };
    const requestId = requestIdFor(entry.seq);

    const fault = deps.faults.take(method, url.pathname + url.search, kind);
    if (fault) {
      entry.fault = fault.type;
      if (fault.type === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.type === 'delay') {
        await sleep(fault.delayMs ?? 1000);
      } else {
        const anonymous = principal.kind === 'none';
        const rate = deps.limiter.peek(principal.rateKey, anonymous);
        const userId = principal.kind === 'token' || principal.kind === 'installation' ? principal.user.id : null;
        const reply = faultReply(fault, { requestId, nowSec: Math.floor(world.nowMs() / 1000), limit: rate.limit, anonymous, userId });
        // Drain the request first so a keep-alive connection stays usable for the client's retry.
        entry.bytesIn = (await readBody(req)).length;
        if (kind === 'git') {
          res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8', ...reply.headers });
          res.end(`${reply.message}\n`);
        } else {
          const payload = fault.body !== undefined ? fault.body : errorBody(reply.status, reply.message, { documentationUrl: reply.documentationUrl });
          const body = Buffer.from(JSON.stringify(payload));
          res.writeHead(reply.status, {
            ...apiHeaders(requestId, rate, principal),
            ...reply.headers,
            'content-type': 'application/json; charset=utf-8',
            'content-length': String(body.length),
          });
          res.end(body);
          entry.bytesOut = body.length;
        }
        return;
      }
    }

    if (gitMatch) return handleGit(req, res, url, gitMatch, entry, outcome.ok ? principal : null, requestId);
    if (url.pathname.startsWith('/raw/')) return handleRaw(req, res, url, principal, entry);
    return handleApi(req, res, url, method, entry, outcome, principal, requestId);
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    entry: RequestLogEntry,
    outcome: ReturnType<Services['creds']['resolve']>,
    principal: Principal,
    requestId: string,
  ): Promise<void> {
    const raw = await readBody(req);
    entry.bytesIn = raw.length;
    const anonymous = principal.kind === 'none';
    const sub = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) || '/' : null;
    const counted = sub !== '/rate_limit';
    const { snapshot, exceeded } = counted
      ? deps.limiter.consume(principal.rateKey, anonymous)
      : { snapshot: deps.limiter.peek(principal.rateKey, anonymous), exceeded: false };
    const headers = apiHeaders(requestId, snapshot, principal);
    const send = (status: number, data: unknown, extra: Record<string, string> = {}): void => {
      const body = Buffer.from(JSON.stringify(data));
      res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length), ...extra });
      res.end(body);
      entry.bytesOut = body.length;
    };

    if (!outcome.ok) return send(401, errorBody(401, outcome.message));
    if (exceeded) {
      const userId = principal.kind === 'token' || principal.kind === 'installation' ? principal.user.id : null;
      return send(403, errorBody(403, primaryLimitMessage(anonymous, userId), {
        documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
      }));
    }
    const match = sub === null ? null : findRoute(deps.routes, method, sub);
    if (!match || sub === null) {
      deps.unhandled.push({ method, path: url.pathname, kind: 'api' });
      return send(404, errorBody(404, `fake-github: no route for ${method} ${url.pathname}`));
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return send(400, errorBody(400, 'Problems parsing JSON'));
      }
    }
    const ctx = new ApiContext(req, res, deps.svc, method, sub, url.searchParams, principal, body, headers, match.params);
    try {
      await match.route.handler(ctx);
    } catch (err) {
      if (!(err instanceof HttpError)) {
        const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
        deps.serverErrors.push(`${method} ${url.pathname}: ${msg}`);
        ctx.error(new HttpError(500, `fake-github internal error: ${err instanceof Error ? err.message : String(err)}`));
      } else {
        ctx.error(err);
      }
    }
    entry.bytesOut = ctx.bytesOut;
  }

  async function handleGit(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    m: RegExpExecArray,
    entry: RequestLogEntry,
    principal: Principal | null,
    requestId: string,
  ): Promise<void> {
    const { world, creds, store } = deps.svc;
    const rest = m[3] ?? '';
    const service = rest === '/info/refs' ? url.searchParams.get('service') : rest.slice(1);
    const text = async (status: number, message: string, headers: Record<string, string> = {}): Promise<void> => {
      await readBody(req);
      // git prints text/plain bodies of failed requests as "remote: …" lines.
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-github-request-id': requestId, ...headers });
      res.end(message);
      entry.bytesOut = Buffer.byteLength(message);
    };
    if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
      return text(403, 'Smart HTTP only: the dumb protocol is not served.\n');
    }
    entry.gitService = service;
    const challenge = { 'www-authenticate': 'Basic realm="GitHub"' };
    // git never sends an App JWT; GitHub treats one as a wrong password.
    if (principal === null || principal.kind === 'jwt') {
      return text(401, 'Invalid username or token. Password authentication is not supported for Git operations.\n', challenge);
    }
    const repo = world.repo(m[1] ?? '', m[2] ?? '');
    const access = repo ? creds.accessTo(principal, repo) : 'none';
    const need = service === 'git-receive-pack' ? 'write' : 'read';
    const presented = principal.kind !== 'none';
    if (!presented && (access === 'none' || need === 'write')) return text(401, '', challenge);
    if (!repo || access === 'none') return text(404, 'Repository not found.\n');
    if (!atLeast(access, need)) return text(403, `Permission to ${repo.fullName}.git denied to ${loginOf(principal) ?? 'anonymous'}.\n`);

    const result = await runHttpBackend(req, res, {
      projectRoot: store.projectRoot,
      pathInfo: `/${relative(store.projectRoot, repo.gitDir)}${rest}`,
      queryString: url.search.replace(/^\?/, ''),
      remoteUser: loginOf(principal) ?? undefined,
      headers: { 'x-github-request-id': requestId, date: new Date(world.nowMs()).toUTCString() },
      children: deps.children,
    });
    entry.bytesIn = result.bytesIn;
    entry.bytesOut = result.bytesOut;
    if (rest === '/git-receive-pack') {
      repo.pushedAt = world.isoNow();
      await deps.svc.refsChanged(repo);
    }
  }

  /** raw.githubusercontent.com-style downloads (the contents API's `download_url`). */
  async function handleRaw(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal, entry: RequestLogEntry): Promise<void> {
    await readBody(req);
    const { world, creds, store } = deps.svc;
    const segs = url.pathname.split('/').slice(2).map((s) => decodeURIComponent(s));
    const [owner = '', name = '', ...rest] = segs;
    const repo = world.repo(owner, name);
    const reply = (status: number, body: Buffer): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length) });
      res.end(body);
      entry.bytesOut = body.length;
    };
    if (!repo || creds.accessTo(principal, repo) === 'none') return reply(404, Buffer.from('404: Not Found'));
    // The ref may itself contain slashes: try the shortest ref that resolves.
    for (let i = 1; i < rest.length; i++) {
      const commit = await store.resolveCommit(repo.gitDir, rest.slice(0, i).join('/'));
      if (!commit) continue;
      const found = await store.lookup(repo.gitDir, commit, rest.slice(i).join('/'));
      if (found?.kind === 'file') return reply(200, await store.catBlob(repo.gitDir, found.entry.sha));
    }
    return reply(404, Buffer.from('404: Not Found'));
  }

  function apiHeaders(requestId: string, rate: RateSnapshot, principal: Principal): Record<string, string> {
    const h: Record<string, string> = {
      date: new Date(deps.svc.world.nowMs()).toUTCString(),
      server: 'GitHub.com',
      'x-github-request-id': requestId,
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'access-control-allow-origin': '*',
      'access-control-expose-headers': EXPOSE,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'deny',
      vary: 'Accept, Authorization, Cookie, X-GitHub-OTP',
      'x-ratelimit-limit': String(rate.limit),
      'x-ratelimit-remaining': String(rate.remaining),
      'x-ratelimit-reset': String(rate.reset),
      'x-ratelimit-used': String(rate.used),
      'x-ratelimit-resource': 'core',
    };
    if (principal.kind === 'token') {
      h['x-oauth-scopes'] = 'repo, workflow';
      h['x-accepted-oauth-scopes'] = '';
    }
    if (principal.kind === 'installation') {
      h['github-authentication-token-expiration'] = new Date(principal.token.expiresAtMs)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, ' UTC');
    }
    return h;
  }
}

function loginOf(p: Principal): string | null {
  if (p.kind === 'token' || p.kind === 'installation') return p.user.login;
  if (p.kind === 'jwt') return p.app.slug;
  return null;
}

function requestIdFor(seq: number): string {
  const hex = seq.toString(16).toUpperCase();
  return `C0DE:${hex.padStart(4, '0')}:${hex.padStart(6, '0')}:${hex.padStart(7, '0')}:${(0x65f00000 + seq).toString(16).toUpperCase()}`;
}
