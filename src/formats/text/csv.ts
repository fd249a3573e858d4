/**
 * Python's `csv` module, excel dialect, as convert.py and the text repository use it: a reader
 * that follows CPython's `_csv.c` state machine (non-strict, fed by a file opened with
 * `newline=""`) and a writer equal to `csv.writer(f, lineterminator="\r\n")` with QUOTE_MINIMAL.
 *
 * The reader also returns where each row and each field sits in the source, so a writer can copy
 * untouched rows, and untouched cells of a changed row, byte for byte.
 */

/** CPython's `csv.field_size_limit()` default. */
const FIELD_LIMIT = 131_072;

export interface CsvRow {
  /** The decoded fields (what `csv.reader` yields; `[]` for a blank line). */
  readonly cells: string[];
  /** Each field's source text, quotes included; joining them with `,` gives the row's content. */
  readonly rawCells: string[];
  /** Offset of the row's first character. */
  readonly start: number;
  /** Offset where the row's line terminator starts (equals `end` when there is none). */
  readonly contentEnd: number;
  /** Offset just past the row's line terminator. */
  readonly end: number;
}

/** Input Python's csv reader would reject. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

enum State {
  StartRecord,
  StartField,
  InField,
  InQuotedField,
  QuoteInQuotedField,
  EatCrNl,
}

const EOL = -1;

/** Parses the whole text into rows; together the rows' spans cover the text exactly. */
export function readCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let state = State.StartRecord;
  let cells: string[] = [];
  let rawCells: string[] = [];
  let field = '';
  let fieldStart = 0;
  let rowStart = 0;

  const saveField = (end: number): void => {
    cells.push(field);
    rawCells.push(text.slice(fieldStart, end));
    field = '';
  };
  const addChar = (ch: string, at: number): void => {
    if (field.length >= FIELD_LIMIT) throw fieldTooLarge(at);
    field += ch;
  };

  const startField = (code: number, at: number): void => {
    fieldStart = at;
    if (code === 0x0a || code === 0x0d || code === EOL) {
      saveField(at);
      state = code === EOL ? State.StartRecord : State.EatCrNl;
    } else if (code === 0x22) {
      state = State.InQuotedField;
    } else if (code === 0x2c) {
      saveField(at);
      state = State.StartField;
    } else {
      addChar(text[at] as string, at);
      state = State.InField;
    }
  };

  // Feeds one character (or EOL) to the state machine of _csv.c's parse_process_char.
  const step = (code: number, at: number): void => {
    switch (state) {
      case State.StartRecord:
        if (code === EOL) return;
        if (code === 0x0a || code === 0x0d) {
          state = State.EatCrNl;
          return;
        }
        // The character starts the first field.
        startField(code, at);
        return;
      case State.StartField:
        startField(code, at);
        return;
      case State.InField:
        if (code === 0x0a || code === 0x0d || code === EOL) {
          saveField(at);
          state = code === EOL ? State.StartRecord : State.EatCrNl;
        } else if (code === 0x2c) {
          saveField(at);
          state = State.StartField;
        } else {
          addChar(text[at] as string, at);
        }
        return;
      case State.InQuotedField:
        if (code === EOL) return;
        if (code === 0x22) state = State.QuoteInQuotedField;
        else addChar(text[at] as string, at);
        return;
      case State.QuoteInQuotedField:
        if (code === 0x22) {
          addChar('"', at);
          state = State.InQuotedField;
        } else if (code === 0x2c) {
          saveField(at);
          state = State.StartField;
        } else if (code === 0x0a || code === 0x0d || code === EOL) {
          saveField(at);
          state = code === EOL ? State.StartRecord : State.EatCrNl;
        } else {
          // Non-strict: text after a closing quote joins the field (`"ab"c` reads as `abc`).
          addChar(text[at] as string, at);
          state = State.InField;
        }
        return;
      case State.EatCrNl:
        // A file opened with newline="" yields lines ending at \r, \n or \r\n, so only EOL or a
        // further terminator character can follow here.
        if (code === EOL) state = State.StartRecord;
        return;
    }
  };

  let lineStart = 0;
  while (lineStart < text.length) {
    // Universal-newline line splitting: a line ends after \n, after \r\n, or after a lone \r.
    let contentEnd = lineStart;
    while (contentEnd < text.length && text.charCodeAt(contentEnd) !== 0x0a && text.charCodeAt(contentEnd) !== 0x0d) {
      contentEnd++;
    }
    let lineEnd = contentEnd;
    if (text.charCodeAt(lineEnd) === 0x0d) lineEnd++;
    if (text.charCodeAt(lineEnd) === 0x0a) lineEnd++;
    for (let i = lineStart; i < lineEnd; ) {
      // Fast path: a run of ordinary characters inside a field is copied in one slice; the state
      // machine only sees the characters that can change its state.
      // (`state` is re-read through a cast: TypeScript cannot see the closures assigning it.)
      const current = state as State;
      const inField = current === State.InField || current === State.InQuotedField;
      const run = inField ? runEnd(text, i, lineEnd, current === State.InQuotedField) : i;
      if (run > i) {
        if (field.length + (run - i) > FIELD_LIMIT) throw fieldTooLarge(i);
        field += text.slice(i, run);
        i = run;
      } else {
        step(text.charCodeAt(i), i);
        i++;
      }
    }
    step(EOL, lineEnd);
    if (state === State.StartRecord) {
      rows.push({ cells, rawCells, start: rowStart, contentEnd, end: lineEnd });
      cells = [];
      rawCells = [];
      rowStart = lineEnd;
    }
    lineStart = lineEnd;
  }
  if (state !== State.StartRecord) {
    // End of data inside a quoted field: non-strict mode returns what it has.
    saveField(text.length);
    rows.push({ cells, rawCells, start: rowStart, contentEnd: text.length, end: text.length });
  }
  return rows;
}

function fieldTooLarge(offset: number): CsvError {
  return new CsvError(`field larger than field limit (${FIELD_LIMIT})`, offset);
}

/** End of the run from `start` of characters that leave the state alone (`"` only in quotes). */
function runEnd(text: string, start: number, end: number, quoted: boolean): number {
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (quoted ? code === 0x22 : code === 0x2c || code === 0x0a || code === 0x0d) break;
    i++;
  }
  return i;
}

const NEEDS_QUOTES = /[,"\r\n]/;

/** One field as `csv.writer` (excel, QUOTE_MINIMAL) writes it. */
export function formatCsvCell(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** The row's fields joined, without a line terminator. */
export function formatCsvRowContent(cells: readonly string[]): string {
  // A lone empty field is quoted, or the line would read back as a blank line (no fields at all).
  if (cells.length === 1 && cells[0] === '') return '""';
  return cells.map(formatCsvCell).join(',');
}

/** `csv.writer(f, lineterminator="\r\n").writerow(cells)`; pass another terminator to follow a file. */
export function formatCsvRow(cells: readonly string[], lineTerminator = '\r\n'): string {
  return formatCsvRowContent(cells) + lineTerminator;
}
