/**
 * The row sequence behind `applyCsvEdits`: which rows of the edited file are copied from the
 * source and which are written anew. The text_generation writer uses it to re-convert only the
 * written rows (a kept row's records cannot change), so it needs the same sequence the text has.
 */
import { formatCsvCell, formatCsvRowContent, type CsvRow } from './csv.js';
import { type CsvEdits } from './csv-edit.js';

export interface CsvEditPiece {
  /** The row's text without its line terminator. */
  readonly content: string;
  /** The source row's own terminator; empty for a written row, which takes the file's. */
  readonly terminator: string;
  /** The source row index of a row copied unchanged; undefined for a replaced or inserted row. */
  readonly keptRow: number | undefined;
}

export function csvEditPieces(text: string, rows: readonly CsvRow[], edits: CsvEdits): CsvEditPiece[] {
  const pieces: CsvEditPiece[] = [];
  const insert = (cellRows: readonly (readonly string[])[] | undefined) => {
    for (const cells of cellRows ?? []) {
      pieces.push({ content: formatCsvRowContent(cells), terminator: '', keptRow: undefined });
    }
  };
  insert(edits.insertAfter.get(-1));
  rows.forEach((row, index) => {
    if (!edits.remove.has(index)) {
      const cells = edits.replace.get(index);
      pieces.push({
        content: cells ? replacedRowContent(cells, row) : text.slice(row.start, row.contentEnd),
        terminator: text.slice(row.contentEnd, row.end),
        keptRow: cells ? undefined : index,
      });
    }
    insert(edits.insertAfter.get(index));
  });
  insert(edits.append);
  return pieces;
}

/** Cells whose value is unchanged keep their source spelling (quotes and all). */
function replacedRowContent(cells: readonly string[], row: CsvRow): string {
  if (cells.length === 1 && cells[0] === '') return '""';
  return cells.map((cell, j) => (cell === row.cells[j] ? (row.rawCells[j] as string) : formatCsvCell(cell))).join(',');
}
