/**
 * Turns Octokit's RequestError into a message that says what failed and what to do next. Messages
 * never include request headers, so a credential cannot leak through them.
 */
import { SyncError } from '../errors.js';

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

export class GitHubApiError extends SyncError {
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GitHubApiError';
  }
}

export interface ErrorContext {
  /** What the tool was doing, e.g. "reading stable_diffusion.json from o/r@main". */
  readonly action: string;
  /** Which credential was used, e.g. "HORDE_GITHUB_SYNC_GITHUB_TOKEN (environment)". */
  readonly credential: string;
  readonly repo: string;
}

function githubMessage(error: RequestErrorLike): string {
  const data = error.response?.data as { message?: unknown; errors?: { message?: string }[] } | undefined;
  const base = typeof data?.message === 'string' ? data.message : error.message;
  const details = (data?.errors ?? []).map((e) => e.message).filter((m): m is string => typeof m === 'string');
  return details.length > 0 ? `${base}: ${details.join('; ')}` : base;
}

export function toGitHubError(error: unknown, context: ErrorContext): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  if (!isRequestError(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new GitHubApiError(`${context.action} failed: ${reason}; check --github-api-url and the network`, undefined, { cause: error });
  }
  const message = githubMessage(error);
  const headers = error.response?.headers ?? {};
  let advice: string;
  switch (error.status) {
    case 401:
      advice = `GitHub rejected the credential from ${context.credential} (401 ${message}): it is wrong, expired or revoked; create a new token (or check the App ID and private key) and try again`;
      break;
    case 403:
      if (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)) {
        advice = `GitHub's rate limit was reached (${message}); the run waited as long as it may; try again after ${headers['x-ratelimit-reset'] ? new Date(Number(headers['x-ratelimit-reset']) * 1000).toISOString() : 'a while'}`;
      } else {
        advice = `the credential from ${context.credential} may not do this in ${context.repo} (403 ${message}); it needs contents: write and pull-requests: write on the repository`;
      }
      break;
    case 404:
      advice = `${context.repo}: not found (404 ${message}); check the repository name and that the credential from ${context.credential} can see it`;
      break;
    case 422:
      advice = `GitHub refused the request (422 ${message})`;
      break;
    default:
      advice = error.status >= 500 ? `GitHub answered ${error.status} (${message}) even after retries; try again later` : `GitHub answered ${error.status} (${message})`;
  }
  return new GitHubApiError(`${context.action}: ${advice}`, error.status, { cause: error });
}
