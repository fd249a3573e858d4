/**
 * Durations as operators write them: `90s`, `15m`, `1h`, `1h30m`, `500ms`, or plain seconds
 * (`900`), so `--interval` and HORDE_GITHUB_SYNC_WATCH_INTERVAL_SECONDS accept the same text.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(trimmed)) !== null) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? NaN);
    matched = part.lastIndex;
  }
  if (matched === 0 || matched !== trimmed.length || !Number.isFinite(total)) return undefined;
  return Math.round(total);
}

/** `1h30m`, `15m`, `90s` → `1m30s`, `1.2s`, `350ms`: short, exact enough for logs and tables. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) {
    const seconds = ms / 1000;
    return Number.isInteger(seconds) ? `${seconds}s` : `${seconds.toFixed(1)}s`;
  }
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', s > 0 ? `${s}s` : ''].join('') || '0s';
}
