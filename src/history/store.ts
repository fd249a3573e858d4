/**
 * The history file: JSON lines in `<state-dir>/history.jsonl`, rotated by size to
 * `history.jsonl.1` (one older generation), so an hourly timer never fills the disk.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryRecord } from './record.js';

export const HISTORY_FILE = 'history.jsonl';
/** About 2,000 runs of two repositories; twice that with the rotated file. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export function historyPath(stateDir: string): string {
  return join(stateDir, HISTORY_FILE);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Appends one record; moves the file aside first when the line would take it past `maxBytes`. */
export function appendHistory(stateDir: string, record: HistoryRecord, maxBytes = DEFAULT_MAX_BYTES): string {
  mkdirSync(stateDir, { recursive: true });
  const path = historyPath(stateDir);
  const line = JSON.stringify(record) + '\n';
  const size = sizeOf(path);
  if (size > 0 && size + Buffer.byteLength(line) > maxBytes) renameSync(path, `${path}.1`);
  // One write of one line with O_APPEND: concurrent runs (other repositories) never interleave.
  appendFileSync(path, line, { mode: 0o600 });
  return path;
}

function readLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').filter((line) => line.trim() !== '');
}

function isRecord(value: unknown): value is HistoryRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<HistoryRecord>;
  return r.v === 1 && typeof r.start === 'string' && typeof r.durationMs === 'number' && Array.isArray(r.repos) && typeof r.exitCode === 'number';
}

/** The last `limit` records, oldest first. A torn or foreign line is skipped, not fatal. */
export function readHistory(stateDir: string, limit: number): HistoryRecord[] {
  const path = historyPath(stateDir);
  const lines = [...readLines(`${path}.1`), ...readLines(path)];
  const records: HistoryRecord[] = [];
  for (const line of lines) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (isRecord(parsed)) records.push(parsed);
    } catch {
      // A line cut short by a full disk or a killed run: the others are still good.
    }
  }
  return limit > 0 ? records.slice(-limit) : [];
}
