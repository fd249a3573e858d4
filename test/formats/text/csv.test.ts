import { describe, expect, it } from 'vitest';
import { formatCsvRow, readCsv } from '../../../src/formats/text/index.js';
import { CONVERT_FIXTURES, fixtureFile } from './helpers/fixtures.js';

interface CsvCases {
  python: string;
  writer: { cells: string[]; line: string }[];
  reader: { text: string; rows: string[][] }[];
}
const cases = JSON.parse(fixtureFile('.', 'csv-cases.json')) as CsvCases;

/** Files written by csv.writer itself (the odd-rows fixture is hand-made on purpose). */
const WRITER_MADE = ['excerpt-2025-08', 'excerpt-2025-11', 'excerpt-2026-06', 'synthetic', 'synthetic-lf'];

describe('readCsv', () => {
  for (const folder of CONVERT_FIXTURES) {
    it(`${folder}: row spans and raw cells rebuild the file byte for byte`, () => {
      const text = fixtureFile(folder, 'models.csv');
      const rows = readCsv(text);
      expect(rows.map((row) => text.slice(row.start, row.end)).join('')).toBe(text);
      for (const row of rows) {
        expect(row.rawCells.join(',')).toBe(text.slice(row.start, row.contentEnd));
      }
    });
  }

  for (const folder of WRITER_MADE) {
    it(`${folder}: csv.writer's bytes come back from formatCsvRow`, () => {
      const text = fixtureFile(folder, 'models.csv');
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      for (const row of readCsv(text)) {
        const terminator = text.slice(row.contentEnd, row.end);
        expect(formatCsvRow(row.cells, eol).slice(0, -eol.length) + terminator).toBe(text.slice(row.start, row.end));
      }
    });
  }

  for (const { text, rows } of cases.reader) {
    it(`reads ${JSON.stringify(text)} as Python ${cases.python} does`, () => {
      expect(readCsv(text).map((row) => row.cells)).toEqual(rows);
    });
  }

  it('rejects a field over csv.field_size_limit()', () => {
    expect(() => readCsv(`a,${'x'.repeat(131_073)}\r\n`)).toThrow(/field larger than field limit/);
    expect(readCsv(`a,${'x'.repeat(131_072)}\r\n`)[0]?.cells[1]).toHaveLength(131_072);
  });
});

describe('formatCsvRow', () => {
  for (const { cells, line } of cases.writer) {
    it(`writes ${JSON.stringify(cells)} as Python ${cases.python}'s csv.writer does`, () => {
      expect(formatCsvRow(cells)).toBe(line);
    });
  }
});
