/**
 * A port of the text repository's convert.py (commit e87641c, unchanged since 2024-09-15): it turns
 * models.csv, defaults.json and generation_params.json into db.json, byte for byte as the Python
 * script does, including its quirks (duplicate rows keep the first position with the last row's
 * values, `name.split("/")[1]`, round-half-even size tags, Python falsiness when dropping fields).
 * Where convert.py stops (an `exit(1)` or an uncaught exception), the port throws `ConvertError`.
 */
import { type LexObject, type LexValue } from '../json/lex-value.js';
import { PY_INDENT4, pythonDumps, pythonEncodeString } from '../json/python-json.js';
import { ByteBuffer } from '../../util/byte-buffer.js';
import { readCsv, type CsvRow } from './csv.js';
import { PythonJsonError, pythonJsonLoads } from './python-json-loads.js';
import {
  dbKeysOf,
  deriveDisplayName,
  modelNameOf,
  parametersFromCell,
  parametersLexeme,
  pyContains,
  pyTruthy,
  settingsFromCell,
  tagsFromCells,
} from './row-fields.js';

/** convert.py would stop on this input instead of writing db.json. */
export class ConvertError extends Error {
  constructor(
    /** The model (the row's `name`), or the input file, convert.py fails on. */
    readonly model: string,
    readonly reason: string,
  ) {
    super(`convert.py fails on ${model}: ${reason}`);
    this.name = 'ConvertError';
  }
}

/** convert.py's two side inputs, parsed as `json.load` does. */
export interface ConvertContext {
  readonly defaults: LexValue;
  readonly generationParams: LexValue;
}

export function loadConvertContext(defaultsJson: string, generationParamsJson: string): ConvertContext {
  return {
    defaults: loadJsonFile('defaults.json', defaultsJson),
    generationParams: loadJsonFile('generation_params.json', generationParamsJson),
  };
}

function loadJsonFile(file: string, text: string): LexValue {
  try {
    return pythonJsonLoads(text);
  } catch (error) {
    throw new ConvertError(file, `not valid JSON (${(error as Error).message})`);
  }
}

/**
 * A row as `csv.DictReader` returns it: header field → cell, `null` for a missing cell (restval),
 * and surplus cells as a list under the key `"null"` (restkey None, which json.dumps writes as "null").
 */
export type DictRow = Map<string, LexValue>;

export interface ModelRow {
  /** Index of the row in `readCsv`'s result (0 is the header). */
  readonly rowIndex: number;
  /** The row's `name` as DictReader gives it; undefined when the header has no such column. */
  readonly name: LexValue | undefined;
  readonly fields: DictRow;
}

/**
 * A row whose DictReader dict is built when first asked for: the text_generation writer reads
 * only the names of most rows (72k of them at 100x scale), and converts a few.
 */
class LazyModelRow implements ModelRow {
  #fields: DictRow | undefined;
  constructor(
    readonly rowIndex: number,
    readonly name: LexValue | undefined,
    private readonly header: readonly string[],
    private readonly cells: readonly string[],
  ) {}

  get fields(): DictRow {
    this.#fields ??= dictRow(this.header, this.cells);
    return this.#fields;
  }
}

export interface ParsedModelsCsv {
  /** Every row of the file, the header and blank lines included. */
  readonly rows: CsvRow[];
  /** The header's fields (DictReader's fieldnames); empty for an empty file. */
  readonly header: readonly string[];
  /** The data rows DictReader yields (blank lines skipped), in file order. */
  readonly modelRows: ModelRow[];
}

export function parseModelsCsv(modelsCsv: string): ParsedModelsCsv {
  const rows = readCsv(modelsCsv);
  // DictReader takes the first row as fieldnames, even a blank one.
  const header = rows[0]?.cells ?? [];
  // A later column of the same name wins, as in the dict; a short row gets DictReader's restval None.
  const nameColumn = header.lastIndexOf('name');
  const modelRows: ModelRow[] = [];
  for (let rowIndex = 1; rowIndex < rows.length; rowIndex++) {
    const cells = (rows[rowIndex] as CsvRow).cells;
    if (cells.length === 0) continue;
    const name = nameColumn < 0 ? undefined : nameColumn < cells.length ? (cells[nameColumn] as string) : null;
    modelRows.push(new LazyModelRow(rowIndex, name, header, cells));
  }
  return { rows, header, modelRows };
}

function dictRow(header: readonly string[], cells: readonly string[]): DictRow {
  const fields: DictRow = new Map();
  const n = Math.min(header.length, cells.length);
  for (let i = 0; i < n; i++) fields.set(header[i] as string, cells[i] as string);
  if (cells.length > header.length) {
    if (header.includes('null')) {
      throw new ConvertError(cells[0] ?? '', 'the row has more cells than the header, which has a "null" column');
    }
    fields.set('null', cells.slice(header.length));
  } else {
    for (let i = cells.length; i < header.length; i++) fields.set(header[i] as string, null);
  }
  return fields;
}

export interface ConvertedModel {
  /** The row's `name`. */
  readonly name: string;
  readonly modelName: string;
  /** `name`, `aphrodite/name`, `koboldcpp/model_name`. */
  readonly keys: [string, string, string];
  /** The records for `keys`, in the same order. */
  readonly records: [LexObject, LexObject, LexObject];
}

/** One iteration of convert.py's loop: the three records of a row. */
export function convertRow(fields: DictRow, context: ConvertContext): ConvertedModel {
  const row: DictRow = new Map(fields);
  const name = popColumn(row, 'name', '?');
  if (typeof name !== 'string') throw new ConvertError('?', 'a row has no name cell');
  const modelName = modelNameOf(name);

  const paramsCell = popColumn(row, 'parameters_bn', name);
  if (typeof paramsCell !== 'string') throw new ConvertError(name, 'the row has no parameters_bn cell');
  const parameters = parametersFromCell(paramsCell);
  if ('error' in parameters) {
    throw new ConvertError(name, `parameters_bn ${JSON.stringify(paramsCell)} is not a number (${parameters.error})`);
  }
  row.set('parameters', parametersLexeme(parameters.count));

  const tagsCell = columnValue(row, 'tags', name);
  const styleCell = row.get('style');
  row.set(
    'tags',
    tagsFromCells(stringOrNull(tagsCell), typeof styleCell === 'string' ? styleCell : null, parameters.billions),
  );

  row.set('settings', checkedSettings(stringOrNull(columnValue(row, 'settings', name)), name, context));

  if (!pyTruthy(row.get('display_name'))) row.set('display_name', deriveDisplayName(modelName));

  if (!(context.defaults instanceof Map)) throw new ConvertError(name, 'defaults.json is not a JSON object');
  // {"name": key, "model_name": model_name, **defaults, **row} with empty values dropped from row;
  // everything after "name" is the same for the three keys.
  const tail: LexObject = new Map([['model_name', modelName]]);
  for (const [field, value] of context.defaults) tail.set(field, value);
  for (const [field, value] of row) if (pyTruthy(value)) tail.set(field, value);
  const keys = dbKeysOf(name);
  const records = keys.map((key) => new Map([['name', key], ...tail])) as [LexObject, LexObject, LexObject];
  return { name, modelName, keys, records };
}

function popColumn(row: DictRow, column: string, model: string): LexValue {
  const value = columnValue(row, column, model);
  row.delete(column);
  return value;
}

function columnValue(row: DictRow, column: string, model: string): LexValue {
  if (!row.has(column)) throw new ConvertError(model, `models.csv has no "${column}" column`);
  return row.get(column) as LexValue;
}

function stringOrNull(value: LexValue): string | null {
  if (value === null || typeof value === 'string') return value;
  throw new TypeError('a DictReader cell is a string or None');
}

function checkedSettings(cell: string | null, model: string, context: ConvertContext): LexValue {
  let settings: LexValue;
  try {
    settings = settingsFromCell(cell);
  } catch (error) {
    if (!(error instanceof PythonJsonError)) throw error;
    throw new ConvertError(model, `settings is not valid JSON (${error.message})`);
  }
  if (!(settings instanceof Map)) throw new ConvertError(model, 'settings must be a JSON dictionary');
  for (const key of settings.keys()) {
    const known = pyContains(context.generationParams, key);
    if (known === undefined) throw new ConvertError(model, 'generation_params.json is not a container');
    if (!known) {
      throw new ConvertError(model, `settings must be a subset of generation_params.json ("${key}" is not in it)`);
    }
  }
  return settings;
}

/** convert.py's `data`: every db.json key with its record, in file order. */
export function convertRecordsOf(parsed: ParsedModelsCsv, context: ConvertContext): Map<string, LexObject> {
  const data = new Map<string, LexObject>();
  for (const { fields } of parsed.modelRows) {
    const { keys, records } = convertRow(fields, context);
    // A dict keeps a repeated key at its first position with the last value; so does a Map.
    keys.forEach((key, i) => data.set(key, records[i] as LexObject));
  }
  return data;
}

/** The records convert.py builds (db.json key → record, in db.json order). */
export function convertToRecords(
  modelsCsv: string,
  defaultsJson: string,
  generationParamsJson: string,
): Map<string, LexObject> {
  const context = loadConvertContext(defaultsJson, generationParamsJson);
  return convertRecordsOf(parseModelsCsv(modelsCsv), context);
}

/**
 * `json.dump(data, f, indent=4); f.write("\n")`. A model's three records differ only in their
 * first entry ("name"; the rest holds the very same values), so the rest is rendered once and
 * reused: at 100x scale db.json is ~115 MB. Found by comparing entries rather than remembered per
 * record, which would cost a WeakMap entry for each of ~216k records.
 */
export function renderDbJson(records: Map<string, LexObject>): string {
  if (records.size === 0) return '{}\n';
  const parts: string[] = ['{'];
  let last: LexObject | undefined;
  let lastRest = '';
  for (const [key, record] of records) {
    parts.push(parts.length === 1 ? '\n    ' : ',\n    ', pythonEncodeString(key, true), ': ');
    const name = record.get('name');
    const head = typeof name === 'string' ? `{\n        "name": ${pythonEncodeString(name, true)},` : undefined;
    if (head !== undefined && last !== undefined && sameAfterName(record, last)) {
      parts.push(head, lastRest);
      continue;
    }
    const rendered = pythonDumps(record, PY_INDENT4, 1);
    parts.push(rendered);
    // The rest, without "name" ("\n        \"model_name\": ...\n    }"), for the records that follow.
    if (head !== undefined && record.size > 1 && rendered.startsWith(head)) {
      last = record;
      lastRest = rendered.slice(head.length);
    } else {
      last = undefined;
    }
  }
  parts.push('\n}\n');
  return asciiString(parts);
}

/** Both records start with "name" and hold the same entries after it (values compared by identity). */
function sameAfterName(a: LexObject, b: LexObject): boolean {
  if (a.size !== b.size) return false;
  const ia = a.entries();
  const ib = b.entries();
  const firstA = ia.next().value;
  const firstB = ib.next().value;
  if (firstA?.[0] !== 'name' || firstB?.[0] !== 'name') return false;
  for (let ea = ia.next(), eb = ib.next(); !ea.done && !eb.done; ea = ia.next(), eb = ib.next()) {
    if (ea.value[0] !== eb.value[0] || ea.value[1] !== eb.value[1]) return false;
  }
  return true;
}

/**
 * The parts joined, as a one-byte string. They are pure ASCII (ensure_ascii JSON), but keys and
 * values sliced from a models.csv with any non-ASCII character are two-byte strings in V8, and
 * joining them would make the whole ~115 MB rendering two-byte (twice the memory); going through
 * a latin1 buffer yields a one-byte string.
 */
function asciiString(parts: readonly string[]): string {
  // Joined a few thousand at a time first: one buffer write per part costs more than the join.
  const chunks: string[] = [];
  let length = 0;
  for (let i = 0; i < parts.length; i += ASCII_CHUNK) {
    const chunk = parts.slice(i, i + ASCII_CHUNK).join('');
    chunks.push(chunk);
    length += chunk.length;
  }
  const text = new ByteBuffer(length);
  for (const chunk of chunks) text.appendLatin1(chunk);
  return text.latin1Text();
}

const ASCII_CHUNK = 4096;

/** db.json exactly as convert.py writes it for these inputs. */
export function convertToDbJson(modelsCsv: string, defaultsJson: string, generationParamsJson: string): string {
  return renderDbJson(convertToRecords(modelsCsv, defaultsJson, generationParamsJson));
}
