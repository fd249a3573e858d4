import { tempDir } from '../support/temp-dir.js';
import { appendFileSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/config/settings.js';
import { historyRecord, settingsDigest, type HistoryRecord } from '../../src/history/record.js';
import { appendHistory, historyPath, readHistory } from '../../src/history/store.js';
import { driftOf, historyTable, pullRequestsOf, resultOf } from '../../src/history/table.js';
import type { RunReport } from '../../src/report/types.js';
import { redactSecrets } from '../../src/util/redact.js';

const TOKEN = 'ghp_unitTESTtoken0123456789abcdef';
const cwd = tempDir('hms-history-cwd-');
const settingsWith = (env: Record<string, string>, flags = {}) => resolveSettings(flags, { env: { HORDE_GITHUB_SYNC_GITHUB_TOKEN: TOKEN, ...env }, cwd });

const report: RunReport = {
  dryRun: false,
  repos: [
    {
      repo: 'o/image',
      categories: [
        { category: 'clip', files: ['clip.json'], status: 'in-sync', added: [], removed: [], modified: [], error: null, modifiedFields: {} },
        { category: 'image_generation', files: ['stable_diffusion.json'], status: 'changed', added: ['a', 'b'], removed: ['c'], modified: ['d'], error: null, modifiedFields: { d: ['x'] } },
      ],
      pullRequest: { number: 12, url: 'https://github.com/o/image/pull/12', action: 'created' },
      notes: [],
      error: null,
      diffs: [],
    },
    {
      repo: 'o/text',
      categories: [{ category: 'text_generation', files: ['models.csv', 'db.json'], status: 'error', added: [], removed: [], modified: [], error: `GitHub said no to ${TOKEN}`, modifiedFields: {} }],
      pullRequest: null,
      notes: [],
      error: `GitHub said no to ${TOKEN}`,
      diffs: [],
    },
  ],
};

function record(overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  const settings = settingsWith({});
  const base = historyRecord(
    { settings, trigger: 'sync', startedAt: new Date('2025-03-04T05:06:07Z'), endedAt: new Date('2025-03-04T05:06:19.500Z'), report, exitCode: 1, thrown: undefined },
    (t) => redactSecrets(t, [TOKEN]),
  );
  return { ...base, ...overrides };
}

describe('history records', () => {
  it('hold times, counts per category, the pull request, exit code and errors — never a secret', () => {
    const r = record();
    expect(r).toMatchObject({ v: 1, start: '2025-03-04T05:06:07.000Z', end: '2025-03-04T05:06:19.500Z', durationMs: 12_500, trigger: 'sync', dryRun: false, exitCode: 1 });
    expect(r.repos[0]!.categories[1]).toEqual({ category: 'image_generation', status: 'changed', added: 2, removed: 1, modified: 1 });
    expect(r.repos[0]!.pullRequest).toEqual({ number: 12, url: 'https://github.com/o/image/pull/12', action: 'created' });
    expect(r.errors).toEqual(['o/text: GitHub said no to ***']);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('digest the settings that shape a run, counting the credential by its source, not its value', () => {
    const a = settingsDigest(settingsWith({}));
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(settingsDigest(settingsWith({ HORDE_GITHUB_SYNC_GITHUB_TOKEN: 'ghp_anotherTOKENvalue000000000000' }))).toBe(a);
    expect(settingsDigest(settingsWith({ HORDE_GITHUB_SYNC_GITHUB_BRANCH: 'develop' }))).not.toBe(a);
    expect(settingsDigest(settingsWith({}, { categories: 'clip' }))).not.toBe(a);
  });

  it('record a run that never got a report (lock held) with its message', () => {
    const settings = settingsWith({});
    const r = historyRecord({ settings, trigger: 'watch', startedAt: new Date(0), endedAt: new Date(5), report: undefined, exitCode: 75, thrown: 'another run holds the lock' }, (t) => t);
    expect(r).toMatchObject({ repos: [], exitCode: 75, errors: ['another run holds the lock'], trigger: 'watch' });
    expect(resultOf(r)).toBe('locked, watch');
    expect(driftOf(r)).toBe('—');
  });
});

describe('history file', () => {
  it('appends one JSON line per run and reads the last N back, oldest first', () => {
    const dir = join(tempDir('hms-history-'), 'state');
    for (let i = 0; i < 5; i++) appendHistory(dir, record({ durationMs: i }));
    expect(readFileSync(historyPath(dir), 'utf8').trimEnd().split('\n')).toHaveLength(5);
    expect(readHistory(dir, 3).map((r) => r.durationMs)).toEqual([2, 3, 4]);
    expect(readHistory(dir, 100)).toHaveLength(5);
    // Only the service user may read what its runs did.
    expect(statSync(historyPath(dir)).mode & 0o077).toBe(0);
  });

  it('rotates by size, keeping one older file, and reads across both', () => {
    const dir = tempDir('hms-history-');
    const size = JSON.stringify(record()).length + 1;
    for (let i = 0; i < 7; i++) appendHistory(dir, record({ durationMs: i }), size * 3);
    expect(existsSync(`${historyPath(dir)}.1`)).toBe(true);
    expect(statSync(historyPath(dir)).size).toBeLessThanOrEqual(size * 3);
    expect(readFileSync(historyPath(dir), 'utf8').trimEnd().split('\n')).toHaveLength(1);
    expect(readHistory(dir, 100).map((r) => r.durationMs)).toEqual([3, 4, 5, 6]);
  });

  it('skips a torn line and foreign lines instead of failing', () => {
    const dir = tempDir('hms-history-');
    appendHistory(dir, record({ durationMs: 1 }));
    appendFileSync(historyPath(dir), '{"v":1,"start":"2025-\n{"hello":"world"}\n');
    appendHistory(dir, record({ durationMs: 2 }));
    expect(readHistory(dir, 10).map((r) => r.durationMs)).toEqual([1, 2]);
  });

  it('reads nothing from a state directory without history', () => {
    expect(readHistory(join(tmpdir(), 'hms-does-not-exist'), 10)).toEqual([]);
  });
});

describe('history table', () => {
  it('shows when, how long, the result, what drifted and which pull request, errors underneath', () => {
    const r = record();
    expect(driftOf(r)).toBe('image_generation +2 −1 ~1, text_generation failed');
    expect(pullRequestsOf(r)).toBe('image#12 created');
    expect(resultOf(r)).toBe('failed (1)');
    expect(resultOf({ ...r, exitCode: 0, dryRun: true })).toBe('ok, dry run');
    const table = historyTable([r, { ...r, exitCode: 0, repos: [], errors: [] }]);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WHEN\s+TOOK\s+RESULT\s+DRIFT\s+PULL REQUESTS$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}12\.5s {2}failed \(1\) +image_generation \+2 −1 ~1, text_generation failed {2}image#12 created$/);
    expect(lines[2]).toBe('    o/text: GitHub said no to ***');
    expect(lines[3]).toMatch(/ok +— +—$/);
  });
});
