import { describe, expect, it } from 'vitest';
import type { PrimaryResponse, PrimarySource } from '../../src/primary/client.js';
import { createLogger } from '../../src/util/logger.js';
import { PrimaryChangeDetector, type PollResult } from '../../src/watch/change-detector.js';
import { failureDelay, runWatchLoop } from '../../src/watch/loop.js';
import { PassThrough } from 'node:stream';

/** A PRIMARY whose answers the test sets; records the ETag each request carried. */
class ScriptedPrimary implements PrimarySource {
  readonly bodies = new Map<string, string | null | 'error'>();
  readonly requests: { category: string; etag: string | undefined }[] = [];
  constructor(private readonly etags: boolean) {}
  async fetchCategory(category: string, options: { etag?: string } = {}): Promise<PrimaryResponse> {
    this.requests.push({ category, etag: options.etag });
    const url = `http://primary/${category}`;
    const body = this.bodies.get(category);
    if (body === 'error') return { kind: 'error', url, message: `PRIMARY did not answer for ${category}` };
    if (body === null || body === undefined) return { kind: 'missing', url, message: '404' };
    const etag = this.etags ? `"${body.length}:${body}"` : undefined;
    if (etag !== undefined && options.etag === etag) return { kind: 'not-modified', url };
    return { kind: 'ok', url, body, etag };
  }
  async close(): Promise<void> {}
}

describe('PRIMARY change detection', () => {
  it('with ETags: conditional requests, 304 means unchanged, a new body means changed', async () => {
    const primary = new ScriptedPrimary(true);
    primary.bodies.set('blip', '{"a":{}}');
    primary.bodies.set('clip', '{"b":{}}');
    const detector = new PrimaryChangeDetector(primary, ['blip', 'clip']);
    expect((await detector.poll()).changed).toEqual(['blip', 'clip']);
    const quiet = await detector.poll();
    expect(quiet).toEqual({ changed: [], problems: [], notModified: 2 });
    expect(primary.requests.slice(-2).every((r) => r.etag !== undefined)).toBe(true);
    primary.bodies.set('clip', '{"b":{"x":1}}');
    expect((await detector.poll()).changed).toEqual(['clip']);
    expect((await detector.poll()).changed).toEqual([]);
  });

  it('without ETags: compares a hash of the body', async () => {
    const primary = new ScriptedPrimary(false);
    primary.bodies.set('blip', '{"a":{}}');
    const detector = new PrimaryChangeDetector(primary, ['blip']);
    await detector.poll();
    expect(await detector.poll()).toEqual({ changed: [], problems: [], notModified: 0 });
    expect(primary.requests.every((r) => r.etag === undefined)).toBe(true);
    primary.bodies.set('blip', '{"a":{"b":2}}');
    expect((await detector.poll()).changed).toEqual(['blip']);
  });

  it('counts content → 404 and back as changes, and an unreachable PRIMARY as a problem, not a change', async () => {
    const primary = new ScriptedPrimary(true);
    primary.bodies.set('blip', '{"a":{}}');
    const detector = new PrimaryChangeDetector(primary, ['blip']);
    await detector.poll();
    primary.bodies.set('blip', 'error');
    const down = await detector.poll();
    expect(down.changed).toEqual([]);
    expect(down.problems).toEqual([{ category: 'blip', message: 'PRIMARY did not answer for blip' }]);
    primary.bodies.set('blip', '{"a":{}}');
    expect((await detector.poll()).changed).toEqual([]); // back with the same content: nothing to do
    primary.bodies.set('blip', null);
    expect((await detector.poll()).changed).toEqual(['blip']);
    expect((await detector.poll()).changed).toEqual([]);
    primary.bodies.set('blip', '{"a":{}}');
    expect((await detector.poll()).changed).toEqual(['blip']);
  });
});

describe('the watch loop', () => {
  const quietLog = () => createLogger({ verbose: true, stream: new PassThrough(), env: {} });

  /** Drives the loop with scripted polls and run results; stops after `ticks` sleeps. */
  async function drive(polls: PollResult[], runResults: number[], ticks: number) {
    const controller = new AbortController();
    const events: string[] = [];
    let sleeps = 0;
    await runWatchLoop({
      intervalMs: 1000,
      maxBackoffMs: 5000,
      log: quietLog(),
      signal: controller.signal,
      poll: async () => {
        events.push('poll');
        return polls.shift() ?? { changed: [], problems: [], notModified: 1 };
      },
      runOnce: async (reason) => {
        events.push(`run(${reason})`);
        return runResults.shift() ?? 0;
      },
      sleep: async (ms) => {
        events.push(`sleep ${ms}`);
        if (++sleeps >= ticks) controller.abort();
        if (controller.signal.aborted) throw new Error('aborted');
      },
    });
    return events;
  }

  const none: PollResult = { changed: [], problems: [], notModified: 1 };
  const clip: PollResult = { changed: ['clip'], problems: [], notModified: 0 };

  it('runs at start, then only when a poll finds a change', async () => {
    const events = await drive([clip /* baseline */, none, none, clip, none], [], 5);
    expect(events).toEqual([
      'poll',
      'run(start)',
      'sleep 1000',
      'poll',
      'sleep 1000',
      'poll',
      'sleep 1000',
      'poll',
      'run(PRIMARY changed: clip)',
      'sleep 1000',
      'poll',
      'sleep 1000',
    ]);
  });

  it('retries a failed run with a bounded backoff even without a change, and resets after a success', async () => {
    const events = await drive([none], [1, 1, 1, 1, 0], 7);
    expect(events.filter((e) => e.startsWith('sleep'))).toEqual(['sleep 1000', 'sleep 2000', 'sleep 4000', 'sleep 5000', 'sleep 1000', 'sleep 1000', 'sleep 1000']);
    expect(events.filter((e) => e.startsWith('run'))).toEqual([
      'run(start)',
      'run(retry after a failed run)',
      'run(retry after a failed run)',
      'run(retry after a failed run)',
      'run(retry after a failed run)',
    ]);
  });

  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => failureDelay(n, 60_000, 3_600_000))).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000]);
  });
});
