/**
 * convert.py's `data` kept per row, so that after a row-level edit of models.csv only the written
 * rows are converted again: a row copied unchanged gives the same records it gave before (convert
 * is a function of the row's cells and the side inputs), and re-parsing and re-converting the
 * whole file (~10 MB, 72k rows at 100× scale) dominated the writer's time and memory.
 */
import { type LexObject } from '../json/lex-value.js';
import {
  convertRow,
  parseModelsCsv,
  type ConvertContext,
  type ConvertedModel,
  type ParsedModelsCsv,
} from './convert.js';
import { type CsvEditPiece } from './csv-edit-pieces.js';

export interface RowRecords {
  /** convert.py's `data`, as `convertRecordsOf` gives it. */
  readonly records: Map<string, LexObject>;
  /** Source row index → that row's conversion (model rows only). */
  readonly byRow: Map<number, ConvertedModel>;
}

/** `convertRecordsOf`, keeping each row's conversion. */
export function convertRows(parsed: ParsedModelsCsv, context: ConvertContext): RowRecords {
  const records = new Map<string, LexObject>();
  const byRow = new Map<number, ConvertedModel>();
  for (const { rowIndex, fields } of parsed.modelRows) {
    const converted = convertRow(fields, context);
    byRow.set(rowIndex, converted);
    // A dict keeps a repeated key at its first position with the last value; so does a Map.
    converted.keys.forEach((key, i) => records.set(key, converted.records[i] as LexObject));
  }
  return { records, byRow };
}

export interface EditedRecords {
  readonly records: Map<string, LexObject>;
  /** The keys of the written rows: every other key comes from kept rows only. */
  readonly writtenKeys: Set<string>;
}

/**
 * The `data` convert.py builds from the edited file, given its rows in order: kept rows reuse
 * their conversion, written rows are parsed and converted alone (in file order, so a ConvertError
 * names the same row a full conversion would). Undefined when a written row would not read back
 * as exactly one row on its own; the caller then converts the whole text.
 */
export function recordsAfterEdits(
  pieces: readonly CsvEditPiece[],
  headerContent: string,
  before: RowRecords,
  context: ConvertContext,
): EditedRecords | undefined {
  const records = new Map<string, LexObject>();
  const writtenKeys = new Set<string>();
  for (const piece of pieces) {
    let converted: ConvertedModel | undefined;
    if (piece.keptRow !== undefined) {
      converted = before.byRow.get(piece.keptRow);
    } else {
      const row = readWrittenRow(headerContent, piece.content);
      if (row === undefined) return undefined;
      converted = row.modelRows[0] ? convertRow(row.modelRows[0].fields, context) : undefined;
      for (const key of converted?.keys ?? []) writtenKeys.add(key);
    }
    // Blank lines (no model row) add nothing, as DictReader skips them.
    if (converted) converted.keys.forEach((key, i) => records.set(key, converted.records[i] as LexObject));
  }
  return { records, writtenKeys };
}

/** The written row parsed under the file's header, if it is one whole row on its own. */
export function readWrittenRow(headerContent: string, content: string): ParsedModelsCsv | undefined {
  const text = `${headerContent}\n${content}\n`;
  const parsed = parseModelsCsv(text);
  const row = parsed.rows[1];
  // The header must read as before, and the row must end at the terminator added here (an open
  // quote would swallow it, and in the real file the rows after it).
  if (parsed.rows.length !== 2 || parsed.rows[0]?.end !== headerContent.length + 1) return undefined;
  if (!row || row.contentEnd !== text.length - 1 || row.end !== text.length) return undefined;
  return parsed;
}
