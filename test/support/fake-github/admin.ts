import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec, FaultStore, FaultType } from './faults.js';
import { readBody } from './http.js';
import type { World } from './state.js';

const FAULT_TYPES: readonly FaultType[] = ['secondary-rate-limit', 'rate-limit', '429', 'status', 'delay', 'reset'];

/**
 * Control endpoints for a fake running in another process (the standalone launcher, a demo, a manual
 * session). They are not GitHub routes, are not logged and need no credentials: loopback only.
 */
export function createAdmin(opts: {
  faults: FaultStore;
  world: World;
  snapshot: () => Promise<unknown>;
}): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  return async (req, res, url) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const reply = (status: number, data?: unknown): void => {
      if (data === undefined) {
        res.writeHead(status);
        res.end();
        return;
      }
      const body = JSON.stringify(data);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    };
    let body: Record<string, unknown> = {};
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return reply(400, { message: 'invalid JSON' });
      }
    }

    if (url.pathname === '/_admin/faults' && method === 'POST') {
      if (typeof body.path !== 'string' || !FAULT_TYPES.includes(body.type as FaultType)) {
        return reply(400, { message: `need {path: regex string, type: ${FAULT_TYPES.join('|')}}` });
      }
      const spec = { ...body, times: body.times === null ? Infinity : body.times } as unknown as FaultSpec;
      try {
        return reply(201, { id: opts.faults.add(spec).id });
      } catch (err) {
        return reply(400, { message: err instanceof Error ? err.message : String(err) });
      }
    }
    if (url.pathname === '/_admin/faults' && method === 'DELETE') {
      opts.faults.clear();
      return reply(204);
    }
    if (url.pathname === '/_admin/faults' && method === 'GET') return reply(200, opts.faults.summary());
    if (url.pathname === '/_admin/state' && method === 'GET') return reply(200, await opts.snapshot());
    if (url.pathname === '/_admin/clock' && method === 'POST') {
      if (typeof body.skewSec !== 'number') return reply(400, { message: 'need {skewSec: number}' });
      opts.world.clockSkewSec = body.skewSec;
      return reply(200, { skewSec: opts.world.clockSkewSec });
    }
    return reply(404, { message: `fake-github admin: no route for ${method} ${url.pathname}` });
  };
}
