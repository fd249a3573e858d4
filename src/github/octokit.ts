/**
 * The one place the Octokit plugin stack is built: REST client + throttling (primary and secondary
 * rate limits respected, bounded waits) + retry (5xx and 429, bounded), token or GitHub App auth.
 */
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';
import { createAppAuth } from '@octokit/auth-app';
import Bottleneck from 'bottleneck';

export const SyncOctokit = Octokit.plugin(throttling, retry);
export type SyncOctokit = InstanceType<typeof SyncOctokit>;

export interface OctokitOptions {
  readonly baseUrl: string;
  readonly userAgent: string;
  /** Base of every retry wait, in ms (GitHub's `retry-after` seconds are multiplied by it). */
  readonly retryDelayMs: number;
  /** GitHub's recommended pacing of writes; off only against local fakes. */
  readonly pacing: boolean;
  readonly timeoutMs: number;
  /** Longest rate-limit wait accepted before failing, in seconds. */
  readonly maxRateLimitWaitSeconds?: number;
  readonly warn: (message: string) => void;
}

export type OctokitAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'app'; readonly appId: string; readonly privateKey: string; readonly installationId?: number };

/**
 * fetch whose response bodies stay readable when handed on alone. undici cancels the body stream
 * of a Response that is garbage collected before the body is read (nodejs/undici#3199), and a raw
 * file read takes only the body from Octokit (`parseSuccessResponseBody: false`): under memory
 * pressure a file came back empty. The stream holds its Response here for as long as it lives
 * (a WeakMap keeps a value alive while its key is).
 */
const responseOfBody = new WeakMap<object, Response>();
const fetchKeepingBodies: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.body !== null) responseOfBody.set(response.body, response);
  return response;
};

/** Bottleneck groups without the 1 s / 3 s spacing of writes, for loopback runs. */
function unpacedGroups(): Record<string, unknown> {
  const group = (id: string): unknown => new Bottleneck.Group({ id, maxConcurrent: 10, minTime: 0 });
  return {
    global: group('sync-global'),
    auth: group('sync-auth'),
    search: group('sync-search'),
    write: group('sync-write'),
    notifications: group('sync-notifications'),
  };
}

export function createOctokit(auth: OctokitAuth, options: OctokitOptions): SyncOctokit {
  const maxWait = options.maxRateLimitWaitSeconds ?? 120;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      if (retryCount >= 2 || retryAfter > maxWait) {
        options.warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}: not waiting ${retryAfter} s more; giving up`);
        return false;
      }
      options.warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}: waiting ${retryAfter} s before retrying`);
      return true;
    };
  const common = {
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    // Octokit logs request failures on its own; the tool reports them itself, with the fix.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: { timeout: options.timeoutMs, fetch: fetchKeepingBodies },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: options.retryDelayMs,
      fallbackSecondaryRateRetryAfter: 60,
      ...(options.pacing ? {} : unpacedGroups()),
    },
    retry: { retries: 3, retryAfterBaseValue: options.retryDelayMs, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
  };
  switch (auth.kind) {
    case 'none':
      return new SyncOctokit(common);
    case 'token':
      return new SyncOctokit({ ...common, auth: auth.token });
    case 'app':
      return new SyncOctokit({
        ...common,
        authStrategy: createAppAuth,
        auth: {
          appId: auth.appId,
          privateKey: auth.privateKey,
          ...(auth.installationId !== undefined ? { installationId: auth.installationId } : {}),
        },
      });
  }
}
