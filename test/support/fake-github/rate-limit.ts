export interface RateSnapshot {
  limit: number;
  remaining: number;
  /** Epoch seconds on the server's (possibly skewed) clock. */
  reset: number;
  used: number;
}

export interface RateLimits {
  authenticated: number;
  anonymous: number;
}

interface Bucket {
  used: number;
  reset: number;
}

/** GitHub's primary "core" limit: an hourly window per user, installation, App or anonymous client. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: RateLimits,
    private readonly nowSec: () => number,
  ) {}

  private bucket(key: string): Bucket {
    const now = this.nowSec();
    let b = this.buckets.get(key);
    if (!b || now >= b.reset) {
      b = { used: 0, reset: now + 3600 };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Counts one request; `exceeded` means the bucket was already empty (GitHub then answers 403). */
  consume(key: string, anonymous: boolean): { snapshot: RateSnapshot; exceeded: boolean } {
    const limit = anonymous ? this.limits.anonymous : this.limits.authenticated;
    const b = this.bucket(key);
    if (b.used >= limit) return { snapshot: { limit, remaining: 0, reset: b.reset, used: b.used }, exceeded: true };
    b.used++;
    return { snapshot: { limit, remaining: limit - b.used, reset: b.reset, used: b.used }, exceeded: false };
  }

  peek(key: string, anonymous: boolean): RateSnapshot {
    const limit = anonymous ? this.limits.anonymous : this.limits.authenticated;
    const b = this.bucket(key);
    return { limit, remaining: Math.max(0, limit - b.used), reset: b.reset, used: b.used };
  }
}
