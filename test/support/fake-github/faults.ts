import { STATUS_CODES } from 'node:http';

export type FaultType = 'secondary-rate-limit' | 'rate-limit' | '429' | 'status' | 'delay' | 'reset';
export type RequestKind = 'api' | 'git';

export interface FaultSpec {
  /** Matched against the request path including its query string. A string is a regular expression source. */
  path: RegExp | string;
  method?: string;
  kind?: RequestKind;
  type: FaultType;
  /** For 'status' (default 500) and 'rate-limit' (default 403; 429 is also seen on github.com). */
  status?: number;
  /** How many matching requests to hit; default 1, `Infinity` (or -1 over JSON) for every one. */
  times?: number;
  /** Seconds, sent as `retry-after` ('secondary-rate-limit' default 60, '429' default 1). */
  retryAfter?: number;
  /** Seconds until `x-ratelimit-reset` for 'rate-limit' (default 60). */
  resetIn?: number;
  /** For 'delay': wait this long, then answer normally. */
  delayMs?: number;
  message?: string;
  /** For 'status' on the API: answer with this JSON body instead of an error body (e.g. a lagging empty list with status 200). */
  body?: unknown;
}

export interface FaultHandle {
  readonly id: number;
  readonly hits: number;
  readonly remaining: number;
  remove(): void;
}

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  regex: RegExp;
  remaining: number;
  hits: number;
}

export interface FaultReply {
  status: number;
  headers: Record<string, string>;
  message: string;
  documentationUrl: string;
}

export class FaultStore {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): FaultHandle {
    const times = spec.times === undefined ? 1 : spec.times < 0 ? Infinity : spec.times;
    const regex = typeof spec.path === 'string' ? new RegExp(spec.path) : spec.path;
    const fault: ActiveFault = { id: this.nextId++, spec, regex, remaining: times, hits: 0 };
    this.faults.push(fault);
    return {
      id: fault.id,
      get hits() {
        return fault.hits;
      },
      get remaining() {
        return fault.remaining;
      },
      remove: () => {
        this.faults = this.faults.filter((f) => f !== fault);
      },
    };
  }

  /** First matching fault that still has hits left, consuming one. */
  take(method: string, pathWithQuery: string, kind: RequestKind): FaultSpec | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      if (f.spec.kind && f.spec.kind !== kind) continue;
      if (f.spec.method && f.spec.method.toUpperCase() !== method) continue;
      f.regex.lastIndex = 0;
      if (!f.regex.test(pathWithQuery)) continue;
      f.remaining--;
      f.hits++;
      return f.spec;
    }
    return undefined;
  }

  clear(): void {
    this.faults = [];
  }

  summary(): Array<{ id: number; path: string; type: FaultType; remaining: number | null; hits: number }> {
    return this.faults.map((f) => ({
      id: f.id,
      path: f.regex.source,
      type: f.spec.type,
      remaining: Number.isFinite(f.remaining) ? f.remaining : null,
      hits: f.hits,
    }));
  }
}

/**
 * The status, headers and message GitHub sends for each fault type. The shapes are what
 * @octokit/plugin-throttling keys on: "secondary rate" in the message plus retry-after, or
 * x-ratelimit-remaining "0" plus x-ratelimit-reset.
 */
export function faultReply(
  spec: FaultSpec,
  ctx: { requestId: string; nowSec: number; limit: number; anonymous: boolean; userId: number | null },
): FaultReply {
  switch (spec.type) {
    case 'secondary-rate-limit':
      return {
        status: spec.status ?? 403,
        headers: { 'retry-after': String(spec.retryAfter ?? 60) },
        message:
          spec.message ??
          `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${ctx.requestId}.`,
        documentationUrl:
          'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      };
    case 'rate-limit':
      return {
        status: spec.status ?? 403,
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': String(ctx.limit),
          'x-ratelimit-reset': String(ctx.nowSec + (spec.resetIn ?? 60)),
        },
        message: spec.message ?? primaryLimitMessage(ctx.anonymous, ctx.userId),
        documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
      };
    case '429':
      return {
        status: 429,
        headers: { 'retry-after': String(spec.retryAfter ?? 1) },
        message: spec.message ?? 'Too Many Requests',
        documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      };
    default: {
      const status = spec.status ?? 500;
      return {
        status,
        headers: spec.retryAfter !== undefined ? { 'retry-after': String(spec.retryAfter) } : {},
        message: spec.message ?? STATUS_CODES[status] ?? 'Error',
        documentationUrl: 'https://docs.github.com/rest',
      };
    }
  }
}

export function primaryLimitMessage(anonymous: boolean, userId: number | null): string {
  return anonymous || userId === null
    ? "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
    : `API rate limit exceeded for user ID ${userId}.`;
}
