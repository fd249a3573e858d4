/**
 * Opt-in check of the JSON writers on the real image snapshots (`npm run test:data`). Reads
 * `$HORDE_SYNC_DATA` (default `../shared/data`, relative to the repository root) and fails when
 * the folder is missing.
 *
 * For every pair of snapshots (older = the repository file, newer = PRIMARY, served the way
 * PRIMARY serves it: indent=2, raw UTF-8, no final newline) it writes the older file to the newer
 * entries and checks the result; the figures are printed as a table at the end.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLex, type LexObject, type LexValue } from '../../src/formats/json/lex-value.js';
import { isPythonDumpsText } from '../../src/formats/json/python-check.js';
import { pythonDumps, PY_INDENT4 } from '../../src/formats/json/python-json.js';
import { detectJsonStyle, dumpOptions } from '../../src/formats/json/style.js';
import { indexTopLevelObject } from '../../src/formats/json/top-level.js';
import { hasMismatches, verifyWrittenEntries } from '../../src/formats/json/verify.js';
import { writeJsonEntries } from '../../src/formats/json/write-entries.js';
import { changeCount, computeChanges, expectGoodWrite, primaryText } from '../formats/json/helpers.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dataRoot = resolve(repoRoot, process.env.HORDE_SYNC_DATA ?? '../shared/data');
const imageDir = join(dataRoot, 'AI-Horde-image-model-reference');

const SNAPSHOTS = ['old-2025-03', 'mid-2025-10', 'pre-sync-2026-03', 'new-2026-06'] as const;
const KINDS: Record<string, 'py4' | 'pytab' | 'hand'> = {
  'stable_diffusion.json': 'py4',
  'codeformer.json': 'pytab',
  'esrgan.json': 'pytab',
  'gfpgan.json': 'pytab',
  'safety_checker.json': 'pytab',
  'miscellaneous.json': 'pytab',
  'blip.json': 'hand',
  'clip.json': 'hand',
  'controlnet.json': 'hand',
};
const FILES = Object.keys(KINDS);

const read = (snapshot: string, file: string): string => readFileSync(join(imageDir, snapshot, file), 'utf8');

const PAIRS = SNAPSHOTS.flatMap((older, i) => SNAPSHOTS.slice(i + 1).map((newer) => [older, newer] as const));

interface Row {
  file: string;
  pair: string;
  added: number;
  removed: number;
  modified: number;
  minus: number;
  plus: number;
  entryLines: string;
  sameAsNewer: string;
  ms: string;
}
const rows: Row[] = [];

describe('real image snapshots', () => {
  it('the data folder exists', () => {
    expect(existsSync(imageDir), `${imageDir} is missing: set HORDE_SYNC_DATA to the shared data folder`).toBe(true);
  });

  describe.each(SNAPSHOTS)('%s: round trip', (snapshot) => {
    it.each(FILES)('%s', (file) => {
      const text = read(snapshot, file);
      expect(detectJsonStyle(text).kind).toBe(KINDS[file]);
      const target = primaryText(text);
      const changes = computeChanges(text, target);
      expect(changeCount(changes)).toBe(0);
      expect(writeJsonEntries(text, target, changes)).toBe(text);
      // Even with every entry listed as modified (equal values), nothing is rewritten.
      const keys = [...indexTopLevelObject(text).byKey.keys()];
      expect(writeJsonEntries(text, target, { added: [], removed: [], modified: keys })).toBe(text);
    });
  });

  describe.each(PAIRS)('%s -> %s', (older, newer) => {
    it.each(FILES)('%s', (file) => {
      const current = read(older, file);
      const newerText = read(newer, file);
      const target = primaryText(newerText);
      const changes = computeChanges(current, target);
      const started = performance.now();
      const written = writeJsonEntries(current, target, changes);
      const ms = performance.now() - started;
      const row = { file, pair: `${older} -> ${newer}`, added: changes.added.length, removed: changes.removed.length, modified: changes.modified.length };
      if (changeCount(changes) === 0) {
        expect(written).toBe(current);
        rows.push({ ...row, minus: 0, plus: 0, entryLines: '0', sameAsNewer: String(written === newerText), ms: ms.toFixed(1) });
        return;
      }
      const report = expectGoodWrite(current, target, written, changes);
      expect(hasMismatches(verifyWrittenEntries(written, target))).toBe(false);
      const style = detectJsonStyle(current);
      if (style.kind !== 'hand') {
        expect(isPythonDumpsText(written, dumpOptions(style))).toBe(true);
        expect(writeJsonEntries(current, target, changes, { style: { ...style, kind: 'hand' } })).toBe(written);
      }
      rows.push({
        ...row,
        minus: report.removedLines,
        plus: report.addedLines,
        entryLines: `${report.oldEntryLines} old / ${report.newEntryLines} new`,
        sameAsNewer: String(written === newerText),
        ms: ms.toFixed(1),
      });
    });
  });

  it('writes a 100x stable_diffusion.json (~22 MB) in about linear time', () => {
    const base = parseLex(read('new-2026-06', 'stable_diffusion.json')) as LexObject;
    const big: LexObject = new Map();
    for (let copy = 0; copy < 100; copy++) {
      for (const [key, value] of base) {
        const name = copy === 0 ? key : `${key} #${copy}`;
        const entry = new Map(value as LexObject);
        entry.set('name', name);
        big.set(name, entry);
      }
    }
    const current = pythonDumps(big, PY_INDENT4) + '\n';
    // PRIMARY: 20 descriptions changed, 10 entries removed, 10 added, spread over the file.
    const keys = [...big.keys()];
    const primary: LexObject = new Map(big);
    for (let i = 0; i < 20; i++) {
      const key = keys[(i * 7919) % keys.length] as string;
      const entry = new Map(primary.get(key) as LexObject);
      entry.set('description', `${entry.get('description') as string} (updated)`);
      primary.set(key, entry);
    }
    for (let i = 0; i < 10; i++) primary.delete(keys[(i * 104729 + 13) % keys.length] as string);
    for (let i = 0; i < 10; i++) primary.set(`New model ${i}`, new Map([['name', `New model ${i}`] as [string, LexValue]]));
    const target = primaryText(primary);
    const changes = computeChanges(current, target);
    const indexes = { current: indexTopLevelObject(current), target: indexTopLevelObject(target) };
    const started = performance.now();
    const style = detectJsonStyle(current, indexes.current);
    const styled = performance.now();
    const written = writeJsonEntries(current, target, changes, { ...indexes, style });
    const done = performance.now();
    const noIndexes = performance.now();
    writeJsonEntries(current, target, changes);
    const plain = performance.now() - noIndexes;
    console.log(
      `100x stable_diffusion.json: ${(current.length / 1e6).toFixed(1)} MB, ${keys.length} entries; ` +
        `detectJsonStyle ${(styled - started).toFixed(0)} ms, writeJsonEntries ${(done - styled).toFixed(0)} ms ` +
        `(with indexes and style), ${plain.toFixed(0)} ms (texts only)`,
    );
    expect(changes.modified.length + changes.removed.length + changes.added.length).toBe(40);
    expect(hasMismatches(verifyWrittenEntries(written, target))).toBe(false);
    expect(done - started).toBeLessThan(5_000);
  });

  afterAll(() => {
    if (rows.length === 0) return;
    const header: Array<keyof Row> = ['file', 'pair', 'added', 'removed', 'modified', 'minus', 'plus', 'entryLines', 'sameAsNewer', 'ms'];
    const titles: Record<keyof Row, string> = {
      file: 'file',
      pair: 'pair (repo -> PRIMARY)',
      added: 'added',
      removed: 'removed',
      modified: 'modified',
      minus: 'diff -',
      plus: 'diff +',
      entryLines: 'lines of changed entries',
      sameAsNewer: '= newer file',
      ms: 'write ms',
    };
    const table = [
      `| ${header.map((column) => titles[column]).join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows
        .filter((row) => row.added + row.removed + row.modified > 0)
        .map((row) => `| ${header.map((column) => String(row[column])).join(' | ')} |`),
    ];
    const unchanged = rows.filter((row) => row.added + row.removed + row.modified === 0).length;
    console.log(`${table.join('\n')}\n(${unchanged} file/pair combinations without changes: written byte-identical)`);
  });
});
