/**
 * Test helpers for the JSON writers: fixtures, PRIMARY's rendering, an independent entry diff, a
 * line diff (Myers) and the checks every write must pass.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { indexTopLevelObject, type TopLevelIndex } from '../../../src/formats/json/top-level.js';
import { parseLex, type LexValue } from '../../../src/formats/json/lex-value.js';
import { pythonDumps } from '../../../src/formats/json/python-json.js';
import type { EntryChanges } from '../../../src/formats/json/write-entries.js';

export function readFixture(name: string): string {
  return readFileSync(new URL(`../../../fixtures/image/${name}`, import.meta.url), 'utf8');
}

/** What PRIMARY serves: Python `json.dump(indent=2, ensure_ascii=False)`, no final newline. */
export function primaryText(value: LexValue | string): string {
  return pythonDumps(typeof value === 'string' ? parseLex(value) : value, { indent: '  ', ensureAscii: false });
}

/** Added/removed/modified keys by plain comparison of parsed values (independent of the writer). */
export function computeChanges(currentText: string, targetText: string): EntryChanges {
  const current = JSON.parse(currentText) as Record<string, unknown>;
  const target = JSON.parse(targetText) as Record<string, unknown>;
  const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);
  return {
    added: Object.keys(target).filter((key) => !has(current, key)),
    removed: Object.keys(current).filter((key) => !has(target, key)),
    modified: Object.keys(current).filter((key) => has(target, key) && !isDeepStrictEqual(current[key], target[key])),
  };
}

export function changeCount(changes: EntryChanges): number {
  return changes.added.length + changes.removed.length + changes.modified.length;
}

/** Lines including their '\r' (so a lost CR shows up as a changed line). */
export function splitLines(text: string): string[] {
  return text.split('\n');
}

export interface LineDiff {
  /** Indices (0-based) of lines of the old text that are not in the new one. */
  readonly removed: number[];
  /** Indices of lines of the new text that are not in the old one. */
  readonly added: number[];
}

/** Myers' shortest edit script on lines (common prefix and suffix trimmed first). */
export function diffLines(oldLines: readonly string[], newLines: readonly string[]): LineDiff {
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let oldEnd = oldLines.length;
  let newEnd = newLines.length;
  while (oldEnd > head && newEnd > head && oldLines[oldEnd - 1] === newLines[newEnd - 1]) {
    oldEnd--;
    newEnd--;
  }
  const a = oldLines.slice(head, oldEnd);
  const b = newLines.slice(head, newEnd);
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  const removed: number[] = [];
  const added: number[] = [];
  if (max === 0) return { removed, added };
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const window = trace[d] as Int32Array;
    const at = (k: number): number => window[k + d + 1] ?? 0;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
    }
    if (x === previousX) added.push(head + previousY);
    else removed.push(head + previousX);
    x = previousX;
    y = previousY;
  }
  return { removed: removed.reverse(), added: added.reverse() };
}

/** Line number (0-based) of each offset, via the offsets of line starts. */
function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** First and last line of each top-level entry (key line to the value's last line). */
export function entryLines(index: TopLevelIndex): Map<string, readonly [number, number]> {
  const starts = lineStartsOf(index.text);
  const lines = new Map<string, readonly [number, number]>();
  for (const member of index.members) {
    lines.set(member.key, [lineOfOffset(starts, member.keyStart), lineOfOffset(starts, member.valueEnd - 1)]);
  }
  return lines;
}

export interface TouchReport {
  /** Line diff (Myers) between the file and the written text. */
  readonly removedLines: number;
  readonly addedLines: number;
  /** Lines of the removed and modified entries in the file. */
  readonly oldEntryLines: number;
  /** Lines of the added and modified entries in the written text. */
  readonly newEntryLines: number;
  /** Kept lines that only gained or lost a trailing comma (the last kept entry's last line). */
  readonly commaToggles: number;
  /** The first line outside the changed entries that differs other than by a comma, if any. */
  readonly outsideChange: string | null;
}

/**
 * Which lines the write touched. Lines are attributed by content rather than by the diff's
 * alignment: identical lines (`\t}`) make any alignment ambiguous. So: every line outside the
 * changed entries must survive in order (a trailing comma may come or go), and the line diff
 * may not be larger than the changed entries' lines plus those comma toggles.
 */
export function touchReport(currentText: string, writtenText: string, changes: EntryChanges): TouchReport {
  const oldLines = splitLines(currentText);
  const newLines = splitLines(writtenText);
  const diff = diffLines(oldLines, newLines);
  const outside = (lines: string[], text: string, keys: readonly string[]): { rest: string[]; entryLines: number } => {
    const ranges = entryLines(indexTopLevelObject(text));
    const inside = new Set<number>();
    for (const key of keys) {
      const range = ranges.get(key);
      if (range) for (let line = range[0]; line <= range[1]; line++) inside.add(line);
    }
    return { rest: lines.filter((_, line) => !inside.has(line)), entryLines: inside.size };
  };
  const before = outside(oldLines, currentText, [...changes.removed, ...changes.modified]);
  const after = outside(newLines, writtenText, [...changes.added, ...changes.modified]);
  const bare = (line: string): string => line.replace(/\r$/, '').replace(/,$/, '');
  let outsideChange: string | null = null;
  let commaToggles = 0;
  const length = Math.max(before.rest.length, after.rest.length);
  for (let i = 0; i < length && outsideChange === null; i++) {
    const was = before.rest[i];
    const now = after.rest[i];
    if (was === now) continue;
    if (was !== undefined && now !== undefined && bare(was) === bare(now)) commaToggles++;
    else outsideChange = `${JSON.stringify(was)} became ${JSON.stringify(now)}`;
  }
  return {
    removedLines: diff.removed.length,
    addedLines: diff.added.length,
    oldEntryLines: before.entryLines,
    newEntryLines: after.entryLines,
    commaToggles,
    outsideChange,
  };
}

/** Every check a write must pass; returns the touch report for further assertions. */
export function expectGoodWrite(currentText: string, targetText: string, writtenText: string, changes: EntryChanges): TouchReport {
  // 1. PRIMARY's entries, as values.
  expect(isDeepStrictEqual(JSON.parse(writtenText), JSON.parse(targetText))).toBe(true);
  // 2. Unchanged entries: same bytes, same relative order.
  const oldIndex = indexTopLevelObject(currentText);
  const newIndex = indexTopLevelObject(writtenText);
  const changed = new Set([...changes.added, ...changes.removed, ...changes.modified]);
  const slice = (index: TopLevelIndex, key: string): string | undefined => {
    const member = index.byKey.get(key);
    return member && index.text.slice(member.keyStart, member.valueEnd);
  };
  const keptOld = oldIndex.members.filter((member) => !changed.has(member.key)).map((member) => member.key);
  const keptNew = newIndex.members.filter((member) => !changed.has(member.key)).map((member) => member.key);
  expect(keptNew).toEqual(keptOld);
  for (const key of keptOld) expect(slice(newIndex, key)).toBe(slice(oldIndex, key));
  // Modified entries stay where they were.
  const existingOld = oldIndex.members.filter((member) => !changes.removed.includes(member.key)).map((member) => member.key);
  const existingNew = newIndex.members.filter((member) => !changes.added.includes(member.key)).map((member) => member.key);
  expect(existingNew).toEqual(existingOld);
  // 3. Line endings, final newline, no trailing whitespace introduced.
  const crlf = currentText.includes('\r\n');
  if (crlf) expect(/(^|[^\r])\n/.test(writtenText)).toBe(false);
  else expect(writtenText.includes('\r')).toBe(false);
  expect(writtenText.endsWith('\n')).toBe(currentText.endsWith('\n'));
  expect(splitLines(writtenText).filter((line) => /[ \t]\r?$/.test(line))).toEqual([]);
  // 4. Only the changed entries' lines.
  const report = touchReport(currentText, writtenText, changes);
  expect(report.outsideChange).toBeNull();
  // Only the last kept entry can gain or lose its comma.
  expect(report.commaToggles).toBeLessThanOrEqual(1);
  expect(report.removedLines).toBeLessThanOrEqual(report.oldEntryLines + report.commaToggles);
  expect(report.addedLines).toBeLessThanOrEqual(report.newEntryLines + report.commaToggles);
  return report;
}

export { prng } from '../../support/prng.js';
