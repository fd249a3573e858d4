/**
 * Row-level edits of a CSV text that leave every other byte alone: untouched rows are copied with
 * their own line terminators, a replaced row keeps the source text of the cells whose values did
 * not change, and new rows take the file's dominant line ending. Whether the file ends with a line
 * terminator is preserved too.
 */
import { type CsvEditPiece, csvEditPieces } from './csv-edit-pieces.js';
import { type CsvRow } from './csv.js';

export interface CsvEdits {
  /** Row index → the row's new cells. */
  readonly replace: ReadonlyMap<number, readonly string[]>;
  readonly remove: ReadonlySet<number>;
  /** Row index → rows (cells) to insert after it; -1 inserts before the first row. */
  readonly insertAfter: ReadonlyMap<number, readonly (readonly string[])[]>;
  /** Rows (cells) to append at the end. */
  readonly append: readonly (readonly string[])[];
}

export function applyCsvEdits(text: string, rows: readonly CsvRow[], edits: CsvEdits): string {
  return joinCsvEditPieces(text, rows, csvEditPieces(text, rows, edits));
}

/** The edited text from `csvEditPieces`' rows: written rows take the file's dominant line ending. */
export function joinCsvEditPieces(text: string, rows: readonly CsvRow[], pieces: readonly CsvEditPiece[]): string {
  const eol = dominantLineEnding(text, rows);
  const endsWithTerminator = rows.length === 0 || (rows[rows.length - 1] as CsvRow).contentEnd < text.length;
  return pieces
    .map(({ content, terminator }, i) =>
      i < pieces.length - 1 || endsWithTerminator ? content + (terminator || eol) : content,
    )
    .join('');
}

/** The line ending most rows use (the header's on a tie); `\r\n`, csv.writer's, when there is none. */
export function dominantLineEnding(text: string, rows: readonly CsvRow[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const terminator = text.slice(row.contentEnd, row.end);
    if (terminator) counts.set(terminator, (counts.get(terminator) ?? 0) + 1);
  }
  let best = rows[0] ? text.slice(rows[0].contentEnd, rows[0].end) || '\r\n' : '\r\n';
  for (const [terminator, count] of counts) if (count > (counts.get(best) ?? 0)) best = terminator;
  return best;
}
