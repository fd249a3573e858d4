import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/watch/duration.js';

describe('durations (watch --interval)', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['900', 900_000],
    ['1.5', 1_500],
    ['500ms', 500],
    [' 2M ', 120_000],
    ['1d', 86_400_000],
  ])('parses %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '15 minutes', '-5s', 'm', '1h-30m', '10x'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [350, '350ms'],
    [1_234, '1.2s'],
    [90_000, '1m30s'],
    [900_000, '15m'],
    [5_400_000, '1h30m'],
    [3_600_000, '1h'],
  ])('formats %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
