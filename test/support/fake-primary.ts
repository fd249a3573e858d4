import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** `MODEL_REFERENCE_CATEGORY` in horde_model_reference/meta_consts.py, in declaration order. */
export const MODEL_REFERENCE_CATEGORIES = [
  'blip',
  'clip',
  'codeformer',
  'controlnet',
  'controlnet_annotator',
  'esrgan',
  'gfpgan',
  'safety_checker',
  'image_generation',
  'text_generation',
  'video_generation',
  'audio_generation',
  'miscellaneous',
  'lora',
  'ti',
] as const;
export type ModelReferenceCategory = (typeof MODEL_REFERENCE_CATEGORIES)[number];

/** A body to serve as-is, or a fixed status (and optional body) for the category. */
export type CategoryBody = string | { status: number; body?: string };

/** One scripted answer, consumed by the next request for that category. */
export interface QueuedResponse {
  /** With neither status nor body, the category's normal answer is sent (after delayMs). */
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Announce the full Content-Length, send only this many body bytes, then drop the connection. */
  truncateAfterBytes?: number;
  /** Drop the connection without answering. */
  destroy?: true;
  /** Answer nothing for this long, then drop the connection (client timeouts). */
  hangMs?: number;
}

export interface FakePrimaryOptions {
  categories?: Record<string, CategoryBody>;
  /** FastAPI's root_path; default '/api', so `url` is exactly what --primary-url takes. */
  basePath?: string;
  port?: number;
  /** Initial fault queues per category, e.g. `{ blip: [{ status: 500 }] }` for 500-then-200. */
  faults?: Record<string, QueuedResponse[]>;
}

export interface PrimaryRequest {
  method: string;
  path: string;
  /** Canonical category after aliasing, or the raw name when it is not a category. */
  category: string | null;
  /** 0 when the connection was dropped on purpose. */
  status: number;
  conditional: boolean;
  bytesOut: number;
  durationMs: number;
}

export interface FakePrimary {
  /** e.g. http://127.0.0.1:PORT/api */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly requests: readonly PrimaryRequest[];
  /** Replace (or with `undefined`, remove) a category's content between runs. Aliases are accepted. */
  setCategory(name: string, body: CategoryBody | undefined): void;
  enqueue(category: string, ...responses: QueuedResponse[]): void;
  close(): Promise<void>;
}

interface Entry {
  body: CategoryBody;
  lastModified: Date;
}

/** `read_legacy_reference` in service/v1/routers/references.py: the aliases, in the same order. */
export function canonicalCategory(name: string): string {
  let n = name;
  if (n === 'db.json') n = 'text_generation';
  if (n.endsWith('.json')) n = n.slice(0, -5);
  if (n === 'stable_diffusion') n = 'image_generation';
  return n;
}

const isCategory = (n: string): n is ModelReferenceCategory => (MODEL_REFERENCE_CATEGORIES as readonly string[]).includes(n);

/** Python's str.strip() in `raw.strip() in ("", "{}", "null")`. */
const isEmptyBody = (b: string): boolean => ['', '{}', 'null'].includes(b.replace(/^[\s\u0085]+|[\s\u0085]+$/g, ''));

const etagOf = (body: Buffer): string => `"${createHash('sha256').update(body).digest('hex')}"`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startFakePrimary(options: FakePrimaryOptions = {}): Promise<FakePrimary> {
  const basePath = (options.basePath ?? '/api').replace(/\/+$/, '');
  const prefix = `${basePath}/model_references/v1/`;
  const entries = new Map<string, Entry>();
  const queues = new Map<string, QueuedResponse[]>();
  const requests: PrimaryRequest[] = [];

  const setCategory = (name: string, body: CategoryBody | undefined): void => {
    const key = canonicalCategory(name);
    if (body === undefined) entries.delete(key);
    // Second precision, like an HTTP date, so If-Modified-Since round-trips.
    else entries.set(key, { body, lastModified: new Date(Math.floor(Date.now() / 1000) * 1000) });
  };
  for (const [name, body] of Object.entries(options.categories ?? {})) setCategory(name, body);
  for (const [name, list] of Object.entries(options.faults ?? {})) queues.set(canonicalCategory(name), [...list]);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `fake-primary internal error: ${String(err)}` }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake-primary.invalid');
    const rec: PrimaryRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      category: null,
      status: 0,
      conditional: Boolean(req.headers['if-none-match'] ?? req.headers['if-modified-since']),
      bytesOut: 0,
      durationMs: 0,
    };
    requests.push(rec);
    res.on('close', () => {
      rec.status = res.headersSent ? res.statusCode : 0;
      rec.durationMs = Math.round((performance.now() - started) * 10) / 10;
    });
    res.setHeader('server', 'uvicorn');

    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
      const buf = typeof body === 'string' ? Buffer.from(body) : body;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(buf.length), ...headers });
      res.end(buf);
      rec.bytesOut = buf.length;
    };
    const detail = (status: number, text: string): void => send(status, JSON.stringify({ detail: text }));

    if (!url.pathname.startsWith(prefix)) return detail(404, 'Not Found');
    const segment = url.pathname.slice(prefix.length);
    if (segment === '' || segment.includes('/')) return detail(404, 'Not Found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return detail(405, 'Method Not Allowed');
    let raw: string;
    try {
      raw = decodeURIComponent(segment);
    } catch {
      return detail(404, 'Not Found');
    }

    if (raw === 'model_categories') {
      const names = MODEL_REFERENCE_CATEGORIES.filter((c) => typeof entries.get(c)?.body === 'string');
      return send(200, JSON.stringify(names));
    }
    if (raw === 'info') {
      return send(200, JSON.stringify({ message: 'This is the legacy model reference API, which uses the format originally found at the github repositories.' }));
    }

    // The dedicated /text_generation route has its own 404 text; db.json goes through the generic route.
    const dedicatedText = raw === 'text_generation';
    const name = canonicalCategory(raw);
    rec.category = name;

    const queued = queues.get(name)?.shift();
    if (queued) {
      if (queued.destroy) {
        req.socket.destroy();
        return;
      }
      if (queued.hangMs !== undefined) {
        await sleep(queued.hangMs);
        req.socket.destroy();
        return;
      }
      if (queued.delayMs) await sleep(queued.delayMs);
      if (queued.status !== undefined || queued.body !== undefined) {
        const body = Buffer.from(queued.body ?? '');
        if (queued.truncateAfterBytes !== undefined) return truncated(res, rec, queued.status ?? 200, body, queued.truncateAfterBytes, queued.headers);
        return send(queued.status ?? 200, body, queued.headers);
      }
      if (queued.truncateAfterBytes !== undefined) {
        const normal = normalBody(name);
        if (normal) return truncated(res, rec, 200, normal, queued.truncateAfterBytes, queued.headers);
      }
    }

    if (!isCategory(name)) {
      return detail(422, `Invalid model category: '${name}'. '${name}' is not a valid MODEL_REFERENCE_CATEGORY`);
    }
    if (name === 'lora' || name === 'ti') return conditional(req, res, rec, Buffer.from('{}'), null);
    const entry = entries.get(name);
    if (entry && typeof entry.body !== 'string') return send(entry.body.status, entry.body.body ?? '');
    if (!entry || isEmptyBody(entry.body as string)) {
      return detail(404, dedicatedText ? 'Text generation models not found or empty' : `Model category '${name}' not found or is empty`);
    }
    return conditional(req, res, rec, Buffer.from(entry.body as string), entry.lastModified);
  }

  function normalBody(name: string): Buffer | null {
    if (name === 'lora' || name === 'ti') return Buffer.from('{}');
    const body = entries.get(name)?.body;
    return typeof body === 'string' && !isEmptyBody(body) ? Buffer.from(body) : null;
  }

  /** Strong ETag (sha256 of the bytes) and Last-Modified; If-None-Match wins over If-Modified-Since (RFC 9110). */
  function conditional(req: IncomingMessage, res: ServerResponse, rec: PrimaryRequest, body: Buffer, lastModified: Date | null): void {
    const etag = etagOf(body);
    const headers: Record<string, string> = { etag };
    if (lastModified) headers['last-modified'] = lastModified.toUTCString();
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    let notModified = false;
    if (inm !== undefined) {
      notModified = inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
    } else if (ims !== undefined && lastModified) {
      const since = Date.parse(ims);
      notModified = !Number.isNaN(since) && lastModified.getTime() <= since;
    }
    if (notModified) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length), ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
    rec.bytesOut = req.method === 'HEAD' ? 0 : body.length;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;

  return {
    url: `${origin}${basePath}`,
    origin,
    port,
    requests,
    setCategory,
    enqueue(category, ...responses) {
      const key = canonicalCategory(category);
      queues.set(key, [...(queues.get(key) ?? []), ...responses]);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}

function truncated(
  res: ServerResponse,
  rec: PrimaryRequest,
  status: number,
  body: Buffer,
  after: number,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length), ...headers });
  const part = body.subarray(0, Math.min(after, body.length));
  rec.bytesOut = part.length;
  res.write(part, () => res.destroy());
}
