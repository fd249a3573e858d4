import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Credentials, Principal } from './auth.js';
import type { Urls } from './factories.js';
import type { GitStore } from './git-store.js';
import type { RepoRecord, World } from './state.js';

export const DOCS = 'https://docs.github.com/rest';

export interface ValidationErrorItem {
  resource?: string;
  field?: string;
  code: string;
  message?: string;
}

/** Thrown by route handlers; the server turns it into GitHub's `{message, errors?, documentation_url, status}` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly opts: { errors?: ValidationErrorItem[]; documentationUrl?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (documentationUrl = DOCS): HttpError => new HttpError(404, 'Not Found', { documentationUrl });

export const validationFailed = (errors: ValidationErrorItem[], documentationUrl = DOCS): HttpError =>
  new HttpError(422, 'Validation Failed', { errors, documentationUrl });

/** Everything a route handler may touch. */
export interface Services {
  world: World;
  store: GitStore;
  creds: Credentials;
  urls: Urls;
  /** After any ref change: refresh refs/pull/N/head and close pull requests whose head branch is gone. */
  refsChanged(repo: RepoRecord): Promise<void>;
}

export function errorBody(status: number, message: string, opts: HttpError['opts'] = {}) {
  return {
    message,
    ...(opts.errors ? { errors: opts.errors } : {}),
    documentation_url: opts.documentationUrl ?? DOCS,
    status: String(status),
  };
}

export class ApiContext {
  bytesOut = 0;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly svc: Services,
    readonly method: string,
    /** Path below /api/v3, still percent-encoded. */
    readonly path: string,
    readonly query: URLSearchParams,
    readonly principal: Principal,
    readonly body: unknown,
    readonly baseHeaders: Record<string, string>,
    public params: Record<string, string> = {},
  ) {}

  param(name: string): string {
    const v = this.params[name];
    if (v === undefined) throw new Error(`fake-github: route has no :${name}`);
    return v;
  }

  json(status: number, data: unknown, headers: Record<string, string> = {}): void {
    const body = Buffer.from(JSON.stringify(data));
    this.raw(status, body, 'application/json; charset=utf-8', headers);
  }

  raw(status: number, body: Buffer, contentType: string, headers: Record<string, string> = {}): void {
    this.res.writeHead(status, {
      ...this.baseHeaders,
      'content-type': contentType,
      'content-length': String(body.length),
      ...headers,
    });
    this.res.end(body);
    this.bytesOut += body.length;
  }

  noContent(): void {
    this.res.writeHead(204, this.baseHeaders);
    this.res.end();
  }

  error(err: HttpError): void {
    this.json(err.status, errorBody(err.status, err.message, err.opts), err.opts.headers);
  }

  /** Request body as an object; GitHub answers 400 "Problems parsing JSON" otherwise. */
  bodyObject(): Record<string, unknown> {
    if (this.body === undefined) return {};
    if (typeof this.body !== 'object' || this.body === null || Array.isArray(this.body)) {
      throw new HttpError(400, 'Problems parsing JSON');
    }
    return this.body as Record<string, unknown>;
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
