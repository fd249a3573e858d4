import { tempDir } from '../support/temp-dir.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings, resolveStateDir, type CliFlags } from '../../src/config/settings.js';
import { UsageError } from '../../src/errors.js';

const cwd = tempDir('hms-ops-settings-');
writeFileSync(join(cwd, '.env.sync'), 'HORDE_GITHUB_SYNC_LOG_FORMAT=json\nHORDE_GITHUB_SYNC_WATCH_INTERVAL_SECONDS=120\nHORDE_GITHUB_SYNC_STATE_DIR=from-file\n');
const empty = tempDir('hms-ops-settings-empty-');

const resolve = (flags: CliFlags, env: Record<string, string> = {}, dir = cwd) => resolveSettings({ dryRun: true, ...flags }, { env, cwd: dir });
function problems(flags: CliFlags, env: Record<string, string> = {}): string[] {
  try {
    resolve(flags, env, empty);
  } catch (error) {
    if (error instanceof UsageError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('settings: log format and watch interval', () => {
  it('default to human and 15 minutes', () => {
    const s = resolve({}, {}, empty);
    expect(s.logFormat).toBe('human');
    expect(s.watchIntervalMs).toBe(900_000);
  });

  it('follow flags > environment > env file', () => {
    expect(resolve({})).toMatchObject({ logFormat: 'json', watchIntervalMs: 120_000 });
    expect(resolve({}, { HORDE_GITHUB_SYNC_LOG_FORMAT: 'human', HORDE_GITHUB_SYNC_WATCH_INTERVAL_SECONDS: '1h' })).toMatchObject({ logFormat: 'human', watchIntervalMs: 3_600_000 });
    expect(resolve({ logFormat: 'JSON', interval: '90s' }, { HORDE_GITHUB_SYNC_LOG_FORMAT: 'human' })).toMatchObject({ logFormat: 'json', watchIntervalMs: 90_000 });
  });

  it('name the flag or variable of a bad value', () => {
    expect(problems({ logFormat: 'xml', interval: 'often' })).toEqual([
      '--log-format: "xml" is not a log format; expected human or json',
      '--interval: "often" is not a duration; expected e.g. 90s, 15m, 1h or a number of seconds',
    ]);
    expect(problems({}, { HORDE_GITHUB_SYNC_WATCH_INTERVAL_SECONDS: '500ms' })).toEqual([
      'HORDE_GITHUB_SYNC_WATCH_INTERVAL_SECONDS (environment): "500ms" is too short; expected at least 1s',
    ]);
  });
});

describe('settings: the state directory alone (for history)', () => {
  it('comes from --state-dir, the environment, the env file, then XDG_STATE_HOME and HOME', () => {
    expect(resolveStateDir({ stateDir: 'flag-dir' }, { env: {}, cwd })).toBe(join(cwd, 'flag-dir'));
    expect(resolveStateDir({}, { env: { HORDE_GITHUB_SYNC_STATE_DIR: '/srv/state' }, cwd })).toBe('/srv/state');
    expect(resolveStateDir({}, { env: {}, cwd })).toBe(join(cwd, 'from-file'));
    expect(resolveStateDir({}, { env: { XDG_STATE_HOME: '/xdg' }, cwd: empty })).toBe('/xdg/horde-model-sync');
    expect(resolveStateDir({}, { env: { HOME: '/home/u' }, cwd: empty })).toBe('/home/u/.local/state/horde-model-sync');
  });

  it('needs no credential and ignores other bad settings, but not an unreadable env file', () => {
    expect(resolveStateDir({}, { env: { HORDE_GITHUB_SYNC_MIN_CHANGES_THRESHOLD: 'many', XDG_STATE_HOME: '/x' }, cwd: empty })).toBe('/x/horde-model-sync');
    expect(() => resolveStateDir({ envFile: 'missing.env' }, { env: {}, cwd: empty })).toThrow(UsageError);
  });
});
