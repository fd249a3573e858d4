/**
 * Reads categories from PRIMARY's v1 API: `GET {primary}/model_references/v1/{category}`.
 * Network errors, timeouts, 429 and 5xx are retried a bounded number of times with backoff;
 * 404 means "PRIMARY has no data for this category" (skip, never "every entry removed").
 */
import { Agent, request, errors as undiciErrors } from 'undici';
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

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  if (error instanceof undiciErrors.ConnectTimeoutError) return 'connection timed out';
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  return error instanceof Error ? error.message : String(error);
}

export class PrimaryClient implements PrimarySource {
  private readonly agent: Agent;
  private readonly attempts: number;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: PrimaryClientOptions) {
    this.agent = new Agent({
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
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
      try {
        const headers: Record<string, string> = {
          accept: 'application/json',
          'user-agent': this.options.userAgent ?? 'horde-model-sync',
        };
        if (fetchOptions.etag !== undefined) headers['if-none-match'] = fetchOptions.etag;
        const response = await request(url, { method: 'GET', headers, dispatcher: this.agent });
        status = response.statusCode;
        const etagHeader = response.headers['etag'];
        etag = typeof etagHeader === 'string' ? etagHeader : undefined;
        body = await this.readBody(response.body, response.headers['content-length']);
      } catch (error) {
        if (error instanceof TooLargeError) {
          return { kind: 'error', url, message: error.message };
        }
        lastProblem = describeNetworkError(error, this.options.timeoutMs);
        continue;
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

  private async readBody(stream: AsyncIterable<Buffer> & { destroy(): void }, contentLength: string | string[] | undefined): Promise<string> {
    const declared = typeof contentLength === 'string' ? Number(contentLength) : NaN;
    const limit = this.maxBodyBytes;
    const tooLarge = (): TooLargeError =>
      new TooLargeError(`PRIMARY's body exceeds ${Math.round(limit / 1024 / 1024)} MB; refused (is --primary-url right?)`);
    if (declared > limit) {
      stream.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > limit) {
        stream.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
    if (!Number.isNaN(declared) && size !== declared) throw new Error('the body was cut short');
    return Buffer.concat(chunks, size).toString('utf8');
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
