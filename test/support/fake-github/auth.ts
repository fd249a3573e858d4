import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { repoKey, type Access, type Permission, type RepoRecord, type UserRecord, type World } from './state.js';

export type AuthKind = 'none' | 'token' | 'jwt' | 'installation';
export type AppPermissionLevel = 'read' | 'write';

export interface TokenSpec {
  login: string;
  type?: 'User' | 'Bot';
  /** Per-repository grants ("owner/name" → level), or '*' for admin on every repository (the default). */
  repos?: Record<string, Permission> | '*';
}

export interface InstallationSpec {
  id: number;
  /** Account the App is installed on; defaults to the owner of the first repository. */
  account?: string;
  repos: string[] | '*';
  /** Default: contents, pull_requests and issues write, metadata read. */
  permissions?: Record<string, AppPermissionLevel>;
}

export interface AppSpec {
  appId: number;
  slug: string;
  name?: string;
  owner?: string;
  /** Either the private key (the public half is derived) or the public key. */
  privateKeyPem?: string;
  publicKey?: string | KeyObject;
  installations: InstallationSpec[];
}

export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  owner: UserRecord;
  bot: UserRecord;
  publicKey: KeyObject;
  installations: Map<number, InstallationRecord>;
  createdAt: string;
}

export interface InstallationRecord {
  id: number;
  app: AppRecord;
  account: UserRecord;
  /** Lower-cased "owner/name" keys. */
  repos: Set<string> | '*';
  permissions: Record<string, AppPermissionLevel>;
  createdAt: string;
}

interface TokenRecord {
  user: UserRecord;
  grants: Map<string, Permission> | '*';
}

export interface InstallationTokenRecord {
  installation: InstallationRecord;
  expiresAtMs: number;
  repos: Set<string> | '*';
  permissions: Record<string, AppPermissionLevel>;
}

export type Principal =
  | { kind: 'none'; rateKey: string }
  | { kind: 'token'; user: UserRecord; grants: TokenRecord['grants']; rateKey: string }
  | { kind: 'installation'; user: UserRecord; token: InstallationTokenRecord; rateKey: string }
  | { kind: 'jwt'; app: AppRecord; rateKey: string };

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; kind: AuthKind; message: string };

export const JWT_MESSAGES = {
  undecodable: 'A JSON web token could not be decoded',
  // The three texts @octokit/auth-app matches to detect clock skew and retry with a corrected clock.
  iat: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  expPast: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  expFar: "'Expiration time' claim ('exp') is too far in the future",
} as const;

const DEFAULT_APP_PERMISSIONS: Record<string, AppPermissionLevel> = {
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write',
};

const RANK: Record<Access, number> = { none: 0, read: 1, write: 2, admin: 3 };
export const atLeast = (have: Access, need: Access): boolean => RANK[have] >= RANK[need];
const maxAccess = (a: Access, b: Access): Access => (RANK[a] >= RANK[b] ? a : b);

/** Secrets are kept only as hashes, so no dump of server state can ever reveal one. */
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class Credentials {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly installationTokens = new Map<string, InstallationTokenRecord>();
  readonly apps = new Map<number, AppRecord>();
  readonly installations = new Map<number, InstallationRecord>();

  constructor(private readonly world: World) {}

  addToken(token: string, spec: TokenSpec): UserRecord {
    const user = this.world.ensureUser(spec.login, spec.type ?? 'User');
    const grants =
      spec.repos === undefined || spec.repos === '*'
        ? '*'
        : new Map(Object.entries(spec.repos).map(([k, v]) => [k.toLowerCase(), v] as const));
    this.tokens.set(hashToken(token), { user, grants });
    return user;
  }

  revokeToken(token: string): void {
    const h = hashToken(token);
    this.tokens.delete(h);
    this.installationTokens.delete(h);
  }

  /** Makes an installation token expire now (GitHub answers 401 "Bad credentials" afterwards). */
  expireToken(token: string): void {
    const rec = this.installationTokens.get(hashToken(token));
    if (rec) rec.expiresAtMs = 0;
  }

  addApp(spec: AppSpec): AppRecord {
    const keySource = spec.publicKey ?? spec.privateKeyPem;
    if (!keySource) throw new Error('fake-github: addApp needs privateKeyPem or publicKey');
    const publicKey = typeof keySource === 'string' ? createPublicKey(keySource) : keySource;
    const firstRepo = spec.installations.find((i) => Array.isArray(i.repos) && i.repos.length > 0)?.repos;
    const defaultOwner = Array.isArray(firstRepo) ? (firstRepo[0]?.split('/')[0] ?? 'octo-org') : 'octo-org';
    const app: AppRecord = {
      id: spec.appId,
      slug: spec.slug,
      name: spec.name ?? spec.slug,
      owner: this.world.ensureUser(spec.owner ?? defaultOwner, 'Organization'),
      bot: this.world.ensureUser(`${spec.slug}[bot]`, 'Bot', { appSlug: spec.slug }),
      publicKey,
      installations: new Map(),
      createdAt: this.world.isoNow(),
    };
    for (const inst of spec.installations) {
      const accountLogin = inst.account ?? (Array.isArray(inst.repos) ? inst.repos[0]?.split('/')[0] : undefined) ?? app.owner.login;
      const record: InstallationRecord = {
        id: inst.id,
        app,
        account: this.world.ensureUser(accountLogin, 'Organization'),
        repos: inst.repos === '*' ? '*' : new Set(inst.repos.map((r) => r.toLowerCase())),
        permissions: { ...(inst.permissions ?? DEFAULT_APP_PERMISSIONS) },
        createdAt: this.world.isoNow(),
      };
      app.installations.set(inst.id, record);
      this.installations.set(inst.id, record);
    }
    this.apps.set(app.id, app);
    return app;
  }

  mintInstallationToken(
    installation: InstallationRecord,
    repos: Set<string> | '*',
    permissions: Record<string, AppPermissionLevel>,
  ): { token: string; record: InstallationTokenRecord } {
    const token = `ghs_${base62(36)}`;
    const record: InstallationTokenRecord = {
      installation,
      expiresAtMs: this.world.nowMs() + 3600_000,
      repos,
      permissions,
    };
    this.installationTokens.set(hashToken(token), record);
    return { token, record };
  }

  resolve(authorization: string | undefined): AuthOutcome {
    if (!authorization) return { ok: true, principal: { kind: 'none', rateKey: 'anonymous' } };
    const credential = extractCredential(authorization);
    if (credential === null) return { ok: false, kind: 'token', message: 'Bad credentials' };
    if (/^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(credential)) return this.verifyJwt(credential);
    const h = hashToken(credential);
    const tok = this.tokens.get(h);
    if (tok) return { ok: true, principal: { kind: 'token', user: tok.user, grants: tok.grants, rateKey: `user:${tok.user.id}` } };
    const inst = this.installationTokens.get(h);
    if (inst && inst.expiresAtMs > this.world.nowMs()) {
      return {
        ok: true,
        principal: { kind: 'installation', user: inst.installation.app.bot, token: inst, rateKey: `installation:${inst.installation.id}` },
      };
    }
    return { ok: false, kind: inst ? 'installation' : 'token', message: 'Bad credentials' };
  }

  private verifyJwt(jwt: string): AuthOutcome {
    const fail = (message: string): AuthOutcome => ({ ok: false, kind: 'jwt', message });
    const [h64 = '', p64 = '', s64 = ''] = jwt.split('.');
    let header: { alg?: unknown };
    let payload: { iat?: unknown; exp?: unknown; iss?: unknown };
    try {
      header = JSON.parse(Buffer.from(h64, 'base64url').toString('utf8')) as typeof header;
      payload = JSON.parse(Buffer.from(p64, 'base64url').toString('utf8')) as typeof payload;
    } catch {
      return fail(JWT_MESSAGES.undecodable);
    }
    const app = this.apps.get(Number(payload.iss));
    if (header.alg !== 'RS256' || !app) return fail(JWT_MESSAGES.undecodable);
    const signed = verify('RSA-SHA256', Buffer.from(`${h64}.${p64}`), app.publicKey, Buffer.from(s64, 'base64url'));
    if (!signed) return fail(JWT_MESSAGES.undecodable);
    const now = Math.floor(this.world.nowMs() / 1000);
    const { iat, exp } = payload;
    if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now) return fail(JWT_MESSAGES.iat);
    if (typeof exp !== 'number' || exp <= now) return fail(JWT_MESSAGES.expPast);
    if (exp > now + 600) return fail(JWT_MESSAGES.expFar);
    return { ok: true, principal: { kind: 'jwt', app, rateKey: `app:${app.id}` } };
  }

  /** Effective access to a repository, GitHub-style: grants, collaborators, ownership, public read. */
  accessTo(p: Principal, repo: RepoRecord): Access {
    const key = repoKey(repo.owner.login, repo.name);
    let access: Access = 'none';
    if (p.kind === 'token') {
      if (p.grants === '*') access = 'admin';
      else access = p.grants.get(key) ?? 'none';
      access = maxAccess(access, repo.collaborators.get(p.user.login.toLowerCase()) ?? 'none');
      if (p.user.login.toLowerCase() === repo.owner.login.toLowerCase()) access = 'admin';
    } else if (p.kind === 'installation') {
      const covers = p.token.repos === '*' ? p.token.installation.account.id === repo.owner.id : p.token.repos.has(key);
      if (covers) access = p.token.permissions.contents === 'write' ? 'write' : 'read';
    } else if (p.kind === 'jwt') {
      // An App JWT only opens /app endpoints; repositories answer as if they did not exist.
      return 'none';
    }
    return repo.private ? access : maxAccess(access, 'read');
  }

  /** Installation tokens are further limited by the App's permissions; other principals pass. */
  installationAllows(p: Principal, areas: readonly string[], level: AppPermissionLevel): boolean {
    if (p.kind !== 'installation') return true;
    return areas.some((a) => {
      const have = p.token.permissions[a];
      return level === 'read' ? have === 'read' || have === 'write' : have === 'write';
    });
  }

  /** True when a login has a token that names this repository (or every repository). */
  tokenUserCovers(login: string, repo: RepoRecord): boolean {
    const key = repoKey(repo.owner.login, repo.name);
    for (const t of this.tokens.values()) {
      if (t.user.login.toLowerCase() !== login.toLowerCase()) continue;
      if (t.grants === '*' || t.grants.has(key)) return true;
    }
    return false;
  }
}

/** GitHub reads the token from Basic (password, or user when the password is empty/x-oauth-basic), Bearer or token. */
export function extractCredential(authorization: string): string | null {
  const m = /^(\S+)\s+(.+)$/.exec(authorization.trim());
  if (!m?.[1] || !m[2]) return null;
  const scheme = m[1].toLowerCase();
  if (scheme === 'bearer' || scheme === 'token') return m[2].trim();
  if (scheme !== 'basic') return null;
  const decoded = Buffer.from(m[2].trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const pass = colon < 0 ? '' : decoded.slice(colon + 1);
  const token = pass === '' || pass === 'x-oauth-basic' ? user : pass;
  return token === '' ? null : token;
}

function base62(n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += alphabet[b % 62];
  return s;
}
