/**
 * Reads categories from PRIMARY's v1 API: `GET {primary}/model_references/v1/{category}`.
 * Network errors, timeouts, 429 and 5xx are retried a bounded number of times with backoff;
 * 404 means "PRIMARY has no data for this category" (skip, never "every entry removed").
 *
 * Built on Node's own `fetch` (which Octokit uses too), not on the undici package: loading that
 * package cost 0.15–0.35 s of every run's start-up on a 2-core machine. Timeouts are this module's:
 * `timeoutMs` for the status line and headers, then the same again for every pause in the body.
 */
import { AsciiJsonBody } from './ascii-body.js';
import { backoffDelay, sleep } from '../util/retry.js';

export type PrimaryResponse =
  | { readonly kind: 'ok'; readonly url: string; readonly body: string; readonly etag: string | undefined }
  | { readonly kind: 'not-modified'; readonly url: string }
  | { readonly kind: 'missing'; readonly url: string; readonly message: string }
  | { readonly kind: 'error'; readonly url: string; readonly message: string };

/** The interface the sync uses; tests and the benchmark point it at a loopback server. */
export interface PrimarySource {
  fetchCategory(category: string, options?: { etag?: string }): Promise<PrimaryResponse>;
  close(): Promise<void>;
}

export interface PrimaryClientOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retryDelayMs: number;
  /** Attempts in all, including the first. */
  readonly attempts?: number;
  /** Bodies larger than this are refused rather than buffered. */
  readonly maxBodyBytes?: number;
  readonly userAgent?: string;
}

const DEFAULT_MAX_BODY = 1024 * 1024 * 1024;

class TooLargeError extends Error {}

export function categoryUrl(baseUrl: string, category: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/model_references/v1/${encodeURIComponent(category)}`;
}

/** The timer of this module fired: the server sent nothing for `timeoutMs`. */
class TimeoutError extends Error {}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | null | undefined;
  if (typeof e?.code === 'string') return e.code;
  // fetch wraps socket errors ("fetch failed" → cause); happy eyeballs aggregates them.
  if (Array.isArray(e?.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return e?.cause !== undefined && e.cause !== error ? errorCode(e.cause) : undefined;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `no answer within ${timeoutMs / 1000} s`;
  const code = errorCode(error);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return `no answer within ${timeoutMs / 1000} s`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'connection timed out';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection reset';
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error && error instanceof Error && error.message === 'fetch failed') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export class PrimaryClient implements PrimarySource {
  private readonly attempts: number;
  private readonly maxBodyBytes: number;
  /** Requests in flight, aborted by close(). */
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: PrimaryClientOptions) {
    this.attempts = options.attempts ?? 4;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  }

  async fetchCategory(category: string, fetchOptions: { etag?: string } = {}): Promise<PrimaryResponse> {
    const url = categoryUrl(this.options.baseUrl, category);
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await sleep(backoffDelay(attempt - 1, this.options.retryDelayMs));
      let status: number;
      let body: string;
      let etag: string | undefined;
      const controller = new AbortController();
      this.inFlight.add(controller);
      // One timer: until the headers arrive, then re-armed by every chunk of the body.
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(new TimeoutError()), this.options.timeoutMs);
      };
      try {
        const headers: Record<string, string> = {
          accept: 'application/json',
          'user-agent': this.options.userAgent ?? 'horde-model-sync',
        };
        if (fetchOptions.etag !== undefined) headers['if-none-match'] = fetchOptions.etag;
        arm();
        const response = await fetch(url, { method: 'GET', headers, signal: controller.signal, redirect: 'manual' });
        status = response.status;
        etag = response.headers.get('etag') ?? undefined;
        body = await this.readBody(response, controller, arm);
      } catch (error) {
        if (error instanceof TooLargeError) {
          return { kind: 'error', url, message: error.message };
        }
        const reason = controller.signal.aborted ? controller.signal.reason : error;
        lastProblem = describeNetworkError(reason, this.options.timeoutMs);
        continue;
      } finally {
        clearTimeout(timer);
        this.inFlight.delete(controller);
      }
      if (status === 200) return { kind: 'ok', url, body, etag };
      if (status === 304) return { kind: 'not-modified', url };
      if (status === 404) {
        return { kind: 'missing', url, message: `PRIMARY has no data for ${category} (404 at ${url}); skipped, nothing removed` };
      }
      if (status === 422) {
        return {
          kind: 'error',
          url,
          message: `PRIMARY does not know the category ${category} (422 at ${url}); check --categories and that --primary-url points at a model-reference service`,
        };
      }
      if (status === 429 || status >= 500) {
        lastProblem = `HTTP ${status}`;
        continue;
      }
      return { kind: 'error', url, message: `PRIMARY answered HTTP ${status} for ${category} at ${url}` };
    }
    return {
      kind: 'error',
      url,
      message: `PRIMARY did not answer for ${category} at ${url} (${lastProblem}, ${this.attempts} attempts); check --primary-url and that the service is up`,
    };
  }

  private async readBody(response: Response, controller: AbortController, arm: () => void): Promise<string> {
    // A compressed body's Content-Length counts compressed bytes (fetch decompresses), so it is
    // only compared with what arrived when the body is sent as is.
    const encoding = response.headers.get('content-encoding');
    const lengthHeader = response.headers.get('content-length');
    const declared = lengthHeader !== null && (encoding === null || encoding === 'identity') ? Number(lengthHeader) : NaN;
    const limit = this.maxBodyBytes;
    const tooLarge = (): TooLargeError =>
      new TooLargeError(`PRIMARY's body exceeds ${Math.round(limit / 1024 / 1024)} MB; refused (is --primary-url right?)`);
    if (declared > limit) {
      controller.abort();
      throw tooLarge();
    }
    if (response.body === null) return '';
    // As ensure_ascii JSON (`AsciiJsonBody`): every non-ASCII character as a \u escape, the same
    // JSON value (and the spelling the repositories' files use), but a one-byte string. PRIMARY
    // writes raw UTF-8, and a single "é" would otherwise make a 100 MB body a 200 MB string.
    const text = new AsciiJsonBody(declared);
    let size = 0;
    for await (const chunk of response.body) {
      arm();
      size += chunk.byteLength;
      if (size > limit) {
        controller.abort();
        throw tooLarge();
      }
      text.append(chunk);
    }
    if (!Number.isNaN(declared) && size !== declared) throw new Error('the body was cut short');
    return text.finish();
  }

  async close(): Promise<void> {
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }
}
