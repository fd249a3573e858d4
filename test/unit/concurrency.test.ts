import { describe, expect, it } from 'vitest';
import { startConcurrent } from '../../src/util/retry.js';

describe('startConcurrent', () => {
  it('runs at most `limit` tasks at once and settles each promise on its own', async () => {
    let running = 0;
    let most = 0;
    const release = new Map<number, () => void>();
    const promises = startConcurrent([0, 1, 2, 3, 4], 2, async (item) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => release.set(item, resolve));
      running--;
      if (item === 3) throw new Error('three');
      return item * 10;
    });
    const settled = Promise.allSettled(promises);
    await new Promise((resolve) => setImmediate(resolve));
    expect([...release.keys()]).toEqual([0, 1]);
    // The second item settles while the first still runs, and its slot goes to the next item.
    release.get(1)?.();
    expect(await promises[1]).toBe(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect([...release.keys()]).toEqual([0, 1, 2]);
    for (const item of [0, 2, 3, 4]) {
      await new Promise((resolve) => setImmediate(resolve));
      release.get(item)?.();
    }
    const results = await settled;
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 10, 20, 'three', 40]);
    expect(most).toBe(2);
  });
});
