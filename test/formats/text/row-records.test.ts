import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { csvEditPieces } from '../../../src/formats/text/csv-edit-pieces.js';
import {
  applyCsvEdits,
  convertRecordsOf,
  loadConvertContext,
  parseModelsCsv,
  type CsvEdits,
} from '../../../src/formats/text/index.js';
import { convertRows, recordsAfterEdits } from '../../../src/formats/text/row-records.js';
import { fixtureInput } from './helpers/fixtures.js';

const BASE = fixtureInput('excerpt-2026-06');
const CONTEXT = loadConvertContext(BASE.defaultsJson, BASE.generationParamsJson);
const PARSED = parseModelsCsv(BASE.modelsCsv);
const HEADER = PARSED.rows[0] as { start: number; contentEnd: number };
const HEADER_CONTENT = BASE.modelsCsv.slice(HEADER.start, HEADER.contentEnd);

function cellsOf(row: number): string[] {
  return [...(PARSED.rows[row]?.cells ?? [])];
}

function incremental(edits: CsvEdits) {
  const pieces = csvEditPieces(BASE.modelsCsv, PARSED.rows, edits);
  return recordsAfterEdits(pieces, HEADER_CONTENT, convertRows(PARSED, CONTEXT), CONTEXT);
}

describe('recordsAfterEdits', () => {
  it('gives what converting the whole edited file gives', () => {
    const renamed = cellsOf(2);
    renamed[0] = 'someone/Brand-New-Model';
    const changed = cellsOf(3);
    changed[1] = '13';
    const edits: CsvEdits = {
      replace: new Map([[3, changed]]),
      remove: new Set([4]),
      insertAfter: new Map([[1, [renamed]]]),
      append: [cellsOf(5)],
    };
    const full = convertRecordsOf(parseModelsCsv(applyCsvEdits(BASE.modelsCsv, PARSED.rows, edits)), CONTEXT);
    const records = incremental(edits)?.records;
    expect(records).toBeDefined();
    expect([...(records ?? new Map()).keys()]).toEqual([...full.keys()]);
    expect(isDeepStrictEqual(records, full)).toBe(true);
  });

  it('reuses the records of kept rows', () => {
    const before = convertRows(PARSED, CONTEXT);
    const pieces = csvEditPieces(BASE.modelsCsv, PARSED.rows, {
      replace: new Map(),
      remove: new Set([2]),
      insertAfter: new Map(),
      append: [],
    });
    const records = recordsAfterEdits(pieces, HEADER_CONTENT, before, CONTEXT)?.records;
    const key = PARSED.rows[3]?.cells[0] as string;
    expect(records?.get(key)).toBe(before.records.get(key));
  });

  it('gives up on a written row that would not read back as one row', () => {
    const pieces = [{ content: '"an open quote', terminator: '', keptRow: undefined }];
    expect(recordsAfterEdits(pieces, HEADER_CONTENT, convertRows(PARSED, CONTEXT), CONTEXT)).toBeUndefined();
  });
});
