/**
 * Opt-in check on the real text-repository snapshots (`npm run test:data`). Reads
 * HORDE_SYNC_DATA (default ../shared/data, relative to the repository root) and fails when it is
 * missing. Set HORDE_SYNC_TEXT_OUT to a directory to keep each pair's written files, for
 * scripts/check-convert-against-python.sh.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertToDbJson, dbKeysOf, parseModelsCsv, writeTextGeneration } from '../../src/formats/text/index.js';
import { countChanges, diffDbJson, primaryBodyOf } from '../formats/text/helpers/changes.js';
import { linesTouched, splitLines } from '../formats/text/helpers/line-diff.js';
import { keepForPython } from '../formats/text/helpers/fixtures.js';

const root = resolve(import.meta.dirname, '../..');
const dataDir = resolve(root, process.env.HORDE_SYNC_DATA ?? '../shared/data', 'AI-Horde-text-model-reference');
const SNAPSHOTS = ['old-2025-08', 'mid-2025-11', 'pre-sync-2026-05', 'new-2026-06'];
const read = (snapshot: string, file: string) => readFileSync(join(dataDir, snapshot, file), 'utf8');

/** Physical lines of the rows of these models (a quoted newline makes a row two lines long). */
function linesOfModels(csv: string, models: ReadonlySet<string>): number {
  const parsed = parseModelsCsv(csv);
  return parsed.modelRows
    .filter((row) => models.has(row.fields.get('name') as string))
    .reduce((sum, row) => {
      const span = parsed.rows[row.rowIndex];
      return sum + (span ? splitLines(csv.slice(span.start, span.end)).length : 0);
    }, 0);
}

describe('real text snapshots', () => {
  it('the data folder exists', () => {
    // A missing folder is a failure, not a skip: this suite was asked for explicitly.
    expect(existsSync(join(dataDir, 'convert.py')), `no snapshots at ${dataDir}; set HORDE_SYNC_DATA`).toBe(true);
  });

  for (const snapshot of SNAPSHOTS) {
    it(`${snapshot}: the port writes db.json byte for byte`, () => {
      const out = convertToDbJson(read(snapshot, 'models.csv'), read(snapshot, 'defaults.json'), read(snapshot, 'generation_params.json'));
      expect(out === read(snapshot, 'db.json')).toBe(true);
    });
  }

  const pairs = SNAPSHOTS.flatMap((older, i) => SNAPSHOTS.slice(i + 1).map((newer) => [older, newer] as const));
  for (const [older, newer] of [...pairs, ...pairs.map(([a, b]) => [b, a] as const)]) {
    it(`${older} as the repository, ${newer} as PRIMARY`, () => {
      const current = {
        modelsCsv: read(older, 'models.csv'),
        dbJson: read(older, 'db.json'),
        defaultsJson: read(older, 'defaults.json'),
        generationParamsJson: read(older, 'generation_params.json'),
      };
      const primaryDb = read(newer, 'db.json');
      const changes = diffDbJson(read(older, 'db.json'), primaryDb);
      const out = writeTextGeneration(current, primaryBodyOf(primaryDb), changes);

      // db.json is convert.py's output of the written models.csv ...
      expect(out.dbJson === convertToDbJson(out.modelsCsv, current.defaultsJson, current.generationParamsJson)).toBe(true);
      // ... and agrees with PRIMARY on every key of every model without a problem.
      const problemKeys = new Set(out.problems.flatMap((problem) => [problem.model, ...dbKeysOf(problem.model)]));
      const written = JSON.parse(out.dbJson) as Record<string, unknown>;
      const wanted = JSON.parse(primaryDb) as Record<string, unknown>;
      const disagreeing = [...new Set([...Object.keys(written), ...Object.keys(wanted)])].filter(
        (key) => !problemKeys.has(key) && !isDeepStrictEqual(written[key], wanted[key]),
      );
      expect(disagreeing).toEqual([]);

      const changed = new Set(out.changedModels);
      const linesOfChanged = linesOfModels(current.modelsCsv, changed) + linesOfModels(out.modelsCsv, changed);
      const touched = linesTouched(current.modelsCsv, out.modelsCsv);
      expect(touched).toBeLessThanOrEqual(linesOfChanged);
      expect(out.modelsCsv.split('\r\n').length).toBe(out.modelsCsv.split('\n').length); // still all CRLF
      console.log(
        `${older} -> ${newer}: ${countChanges(changes)} keys changed (${changes.added.length} added, ${changes.removed.length} removed, ${changes.modified.length} modified); ` +
          `${out.changedModels.length} models written; models.csv lines touched ${touched} vs ${linesOfChanged} lines of the changed models' rows (old + new); ` +
          `lines differing from ${newer}'s own models.csv: ${linesTouched(out.modelsCsv, read(newer, 'models.csv'))}; ` +
          `problems ${out.problems.length}${out.problems.map((p) => `\n    ${p.model}: ${p.message}`).join('')}`,
      );

      keepForPython(`${older}__${newer}`, current, out.modelsCsv, out.dbJson);
    });
  }
});
