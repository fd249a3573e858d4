import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliBinPath } from '../support/run-cli.js';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import { syncJson } from './helpers.js';

describe('reading files under memory pressure', () => {
  let s: SyncScenario;
  beforeEach(async () => {
    s = await startSyncScenario();
  });
  afterEach(async () => s.close());

  it('reads every file whole while garbage is collected all the time', async () => {
    // undici cancels the body of a response that is collected before it is read; the file reads
    // hand on only the body, so without care they came back empty under memory pressure.
    const hook = join(dirname(await cliBinPath()), '..', 'dist', 'test', 'support', 'gc-pressure.js');
    const calm = await syncJson(s, ['--dry-run']);
    const pressed = await syncJson(s, ['--dry-run'], { NODE_OPTIONS: `--expose-gc --import=${hook}` });
    expect(calm.run.code, calm.run.stderr).toBe(0);
    expect(pressed.run.code, pressed.run.stderr).toBe(0);
    expect(pressed.report?.repos.flatMap((repo) => repo.categories.filter((c) => c.error !== null))).toEqual([]);
    expect(pressed.report).toEqual(calm.report);
  });
});
