/**
 * Tells whether PRIMARY's content changed since the last poll, per category. Uses conditional
 * requests (If-None-Match with the last ETag; PRIMARY answers 304) when PRIMARY sends ETags, and
 * compares a hash of the body otherwise, so a server that ignores conditional requests still
 * triggers a run only when the bytes changed.
 */
import { createHash } from 'node:crypto';
import type { PrimarySource } from '../primary/client.js';
import { mapConcurrent } from '../util/retry.js';

interface Seen {
  readonly kind: 'ok' | 'missing';
  readonly etag: string | undefined;
  readonly hash: string | undefined;
}

export interface PollResult {
  /** Categories whose content differs from the previous poll (every readable one on the first). */
  readonly changed: readonly string[];
  /** Categories PRIMARY did not answer for; they keep their last known state. */
  readonly problems: readonly { readonly category: string; readonly message: string }[];
  /** How many categories PRIMARY answered with 304 Not Modified. */
  readonly notModified: number;
}

export class PrimaryChangeDetector {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly source: PrimarySource,
    private readonly categories: readonly string[],
  ) {}

  async poll(): Promise<PollResult> {
    const changed: string[] = [];
    const problems: { category: string; message: string }[] = [];
    let notModified = 0;
    await mapConcurrent(this.categories, 4, async (category) => {
      const before = this.seen.get(category);
      const etag = before?.kind === 'ok' ? before.etag : undefined;
      const response = await this.source.fetchCategory(category, etag !== undefined ? { etag } : {});
      switch (response.kind) {
        case 'not-modified':
          notModified++;
          return;
        case 'ok': {
          const hash = createHash('sha256').update(response.body).digest('hex');
          if (before?.kind !== 'ok' || before.hash !== hash) changed.push(category);
          this.seen.set(category, { kind: 'ok', etag: response.etag, hash });
          return;
        }
        case 'missing':
          // Going from content to 404 (or back) is a change the next run reports as "skipped".
          if (before?.kind !== 'missing') changed.push(category);
          this.seen.set(category, { kind: 'missing', etag: undefined, hash: undefined });
          return;
        case 'error':
          problems.push({ category, message: response.message });
          return;
      }
    });
    // Completion order is arbitrary; report in the configured order.
    return { changed: this.categories.filter((c) => changed.includes(c)), problems, notModified };
  }
}
