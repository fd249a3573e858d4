/** `horde-model-sync history` as a table: when, how long, how it ended, what drifted, which PR. */
import { formatDuration } from '../watch/duration.js';
import type { HistoryRecord, HistoryRepo } from './record.js';

const HEADERS = ['WHEN', 'TOOK', 'RESULT', 'DRIFT', 'PULL REQUESTS'] as const;

/** Local wall-clock time to the second: what someone reading a server's journal compares it with. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function resultOf(record: HistoryRecord): string {
  const base =
    record.interrupted !== undefined ? `interrupted (${record.interrupted})` : record.exitCode === 0 ? 'ok' : record.exitCode === 75 ? 'locked' : `failed (${record.exitCode})`;
  const tags = [record.dryRun ? 'dry run' : '', record.trigger === 'watch' ? 'watch' : ''].filter((t) => t !== '');
  return tags.length > 0 ? `${base}, ${tags.join(', ')}` : base;
}

export function driftOf(record: HistoryRecord): string {
  const parts: string[] = [];
  for (const repo of record.repos) {
    for (const c of repo.categories) {
      if (c.status === 'changed') parts.push(`${c.category} +${c.added} −${c.removed} ~${c.modified}`);
      else if (c.status === 'error') parts.push(`${c.category} failed`);
      else if (c.status === 'skipped') parts.push(`${c.category} skipped`);
    }
  }
  if (parts.length > 0) return parts.join(', ');
  return record.repos.length === 0 ? '—' : 'none';
}

function shortRepo(repo: HistoryRepo): string {
  return repo.repo.split('/')[1] ?? repo.repo;
}

export function pullRequestsOf(record: HistoryRecord): string {
  const parts = record.repos
    .filter((r) => r.pullRequest !== null)
    .map((r) => `${shortRepo(r)}${r.pullRequest?.number != null ? `#${r.pullRequest.number}` : ''} ${r.pullRequest?.action ?? ''}`);
  return parts.length > 0 ? parts.join(', ') : '—';
}

export function historyTable(records: readonly HistoryRecord[]): string {
  const rows = records.map((r) => [localTime(r.start), formatDuration(r.durationMs), resultOf(r), driftOf(r), pullRequestsOf(r)]);
  const all = [[...HEADERS], ...rows];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const lines = all.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  // The errors of failed runs go under their row: the table says that it failed, this says why.
  const out: string[] = [lines[0] ?? ''];
  records.forEach((record, i) => {
    out.push(lines[i + 1] ?? '');
    for (const error of record.errors) out.push(`    ${error}`);
  });
  return out.join('\n') + '\n';
}
