import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gitText, serverGitEnv } from './git-exec.js';

export interface CgiRequest {
  projectRoot: string;
  /** e.g. /acme/widgets.git/info/refs */
  pathInfo: string;
  queryString: string;
  /** Login of the authenticated pusher; http-backend also wants it before it runs receive-pack. */
  remoteUser?: string;
  /** Extra headers to send with the CGI response (Date, request id). */
  headers?: Record<string, string>;
  /** Children still running are tracked here, so close() can stop them instead of leaving orphans. */
  children?: Set<ChildProcess>;
}

export interface CgiResult {
  status: number;
  bytesIn: number;
  bytesOut: number;
  stderr: string;
}

let backendPath: Promise<string> | undefined;

/** `git --exec-path` is /usr/lib/git-core on Debian; ask git rather than hard-coding it. */
export function httpBackendPath(): Promise<string> {
  backendPath ??= gitText(['--exec-path']).then((p) => `${p.trim()}/git-http-backend`);
  return backendPath;
}

/**
 * Runs `git http-backend` as a CGI script for one request: request body streamed to stdin
 * (chunked bodies included; without CONTENT_LENGTH the backend reads to EOF), CGI headers parsed
 * off stdout, the rest streamed back with backpressure. Byte counts are bodies only.
 */
export async function runHttpBackend(req: IncomingMessage, res: ServerResponse, cgi: CgiRequest): Promise<CgiResult> {
  const backend = await httpBackendPath();
  const env: Record<string, string> = serverGitEnv({
    GIT_PROJECT_ROOT: cgi.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: cgi.pathInfo,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: cgi.queryString,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
  });
  if (cgi.remoteUser) env.REMOTE_USER = cgi.remoteUser;
  const h = req.headers;
  if (h['content-type']) env.CONTENT_TYPE = h['content-type'];
  if (h['content-length']) env.CONTENT_LENGTH = h['content-length'];
  if (h['content-encoding']) env.HTTP_CONTENT_ENCODING = String(h['content-encoding']);
  // Protocol v2 is negotiated through this header; without it every client falls back to v0.
  if (h['git-protocol']) env.GIT_PROTOCOL = String(h['git-protocol']);

  return new Promise((resolve) => {
    const child = spawn(backend, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    cgi.children?.add(child);
    let bytesIn = 0;
    let bytesOut = 0;
    let pending: Buffer | null = Buffer.alloc(0);
    const stderr: Buffer[] = [];

    req.on('data', (c: Buffer) => {
      bytesIn += c.length;
    });
    req.pipe(child.stdin);
    child.stdin.on('error', () => {
      // The backend may stop reading early (e.g. an error reply); the exit status tells the story.
    });
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    res.on('close', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });

    child.stdout.on('data', (chunk: Buffer) => {
      if (pending !== null) {
        pending = Buffer.concat([pending, chunk]);
        const parsed = splitCgiHeaders(pending);
        if (!parsed) return;
        pending = null;
        res.writeHead(parsed.status, { ...cgi.headers, ...parsed.headers });
        chunk = parsed.rest;
      }
      bytesOut += chunk.length;
      if (chunk.length > 0 && !res.write(chunk)) {
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
    });

    child.on('close', (code) => {
      cgi.children?.delete(child);
      const err = Buffer.concat(stderr).toString('utf8');
      if (pending !== null && !res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', ...cgi.headers });
        res.end(`fake-github: git http-backend exited with ${code}: ${err}`);
      } else {
        res.end();
      }
      resolve({ status: res.statusCode, bytesIn, bytesOut, stderr: err });
    });
  });
}

function splitCgiHeaders(buf: Buffer): { status: number; headers: Record<string, string>; rest: Buffer } | null {
  let end = buf.indexOf('\r\n\r\n');
  let sepLen = 4;
  const lf = buf.indexOf('\n\n');
  if (lf >= 0 && (end < 0 || lf < end)) {
    end = lf;
    sepLen = 2;
  }
  if (end < 0) return null;
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of buf.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers, rest: buf.subarray(end + sepLen) };
}
