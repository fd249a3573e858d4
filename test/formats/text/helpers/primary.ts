/**
 * Builds "PRIMARY" for writer tests the way PRIMARY builds it: edit a copy of models.csv, run the
 * converter over it (byte-exact with convert.py on every fixture), and serialize the records as
 * PRIMARY's v1 endpoint does (`json.dumps(indent=2, ensure_ascii=False)`).
 */
import type { LexObject } from '../../../../src/formats/json/lex-value.js';
import { pythonDumps } from '../../../../src/formats/json/python-json.js';
import {
  convertToRecords,
  formatCsvRow,
  readCsv,
  renderDbJson,
  type TextGenerationInput,
} from '../../../../src/formats/text/index.js';

export const COLUMNS = ['name', 'parameters_bn', 'display_name', 'url', 'baseline', 'description', 'style', 'tags', 'instruct_format', 'settings'] as const;
export type Column = (typeof COLUMNS)[number];

/** models.csv as a list of rows (header first), for editing. */
export function rowsOf(csv: string): string[][] {
  return readCsv(csv).map((row) => row.cells);
}

export function csvOf(rows: readonly (readonly string[])[], eol = '\r\n'): string {
  return rows.map((cells) => formatCsvRow(cells, eol)).join('');
}

export function newRow(name: string, values: Partial<Record<Column, string>> = {}): string[] {
  return COLUMNS.map((column) => (column === 'name' ? name : (values[column] ?? (column === 'parameters_bn' ? '7' : ''))));
}

/** Sets cells on every row of a model. */
export function setCells(rows: string[][], name: string, values: Partial<Record<Column, string>>): string[][] {
  return rows.map((cells, i) =>
    i > 0 && cells[0] === name ? COLUMNS.map((column, j) => values[column] ?? cells[j] ?? '') : cells,
  );
}

export function withoutModel(rows: string[][], name: string): string[][] {
  return rows.filter((cells, i) => i === 0 || cells[0] !== name);
}

/** Inserts a row after the last row of `after` (after the header when `after` is null). */
export function insertAfter(rows: string[][], after: string | null, cells: string[]): string[][] {
  let at = 0;
  if (after !== null) rows.forEach((row, i) => (row[0] === after ? (at = i) : undefined));
  return [...rows.slice(0, at + 1), cells, ...rows.slice(at + 1)];
}

export interface Primary {
  /** PRIMARY's v1 body. */
  readonly body: string;
  /** The same records as db.json (convert.py's formatting), for the test's own diff. */
  readonly dbJson: string;
  readonly records: Map<string, LexObject>;
}

export function primaryFromRecords(records: Map<string, LexObject>): Primary {
  return {
    body: pythonDumps(records, { indent: '  ', ensureAscii: false }),
    dbJson: renderDbJson(records),
    records,
  };
}

export function primaryFromCsv(csv: string, input: TextGenerationInput): Primary {
  return primaryFromRecords(convertToRecords(csv, input.defaultsJson, input.generationParamsJson));
}
