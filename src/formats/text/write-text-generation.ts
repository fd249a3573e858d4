/**
 * The text_generation writer: applies PRIMARY's changed db.json keys to models.csv (the source of
 * truth), touching only the rows of the models that changed, then regenerates db.json exactly as
 * the repository's convert.py would. Before anything is returned, the new db.json is checked
 * against PRIMARY for every changed model and against the old one for every other key; a model
 * that models.csv cannot express, or that fails the check, is left as it was and reported.
 *
 * When the repository's db.json is laid out as convert.py writes it for the current models.csv
 * (which the repository's CI enforces), only the rows the writer needs are converted and only the
 * changed models' members of db.json are rendered; the rest is copied (`db-json-splice.ts`).
 * Otherwise the whole file is converted and rendered, as convert.py would.
 */
import { type LexObject, type LexValue } from '../json/lex-value.js';
import { indexTopLevelObject, lookupOf, memberValueText, type MemberLookup, type TopLevelIndex } from '../json/top-level.js';
import {
  ConvertError,
  convertRecordsOf,
  convertRow,
  loadConvertContext,
  parseModelsCsv,
  renderDbJson,
  type ConvertContext,
  type ConvertedModel,
  type ModelRow,
  type ParsedModelsCsv,
} from './convert.js';
import { matchDbJsonRows, renderDbJsonMember, spliceDbJson, type RenderedMember } from './db-json-splice.js';
import { csvEditPieces, type CsvEditPiece } from './csv-edit-pieces.js';
import { joinCsvEditPieces } from './csv-edit.js';
import { lexEqual } from './lex-equal.js';
import { groupKeysByModel, isPrimaryModelName, primaryModelNames } from './model-groups.js';
import { compareCodePoints } from './python-compat.js';
import { pythonJsonLoads } from './python-json-loads.js';
import { MODELS_CSV_HEADER, reverseModel } from './reverse.js';
import { dbKeysOf, modelNameOf } from './row-fields.js';
import { placeNewRows } from './row-placement.js';
import { convertRows, readWrittenRow, recordsAfterEdits, type RowRecords } from './row-records.js';

/** db.json keys, as the diff against PRIMARY found them. */
export interface EntryChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly modified: readonly string[];
}

export interface TextGenerationInput {
  readonly modelsCsv: string;
  /** The repository's db.json. */
  readonly dbJson: string;
  readonly defaultsJson: string;
  readonly generationParamsJson: string;
}

/** Indexes the caller already has, so the ~100 MB texts are not scanned twice. */
export interface TextGenerationIndexes {
  /** Of `TextGenerationInput.dbJson`. */
  readonly dbJson?: TopLevelIndex;
  /** Of PRIMARY's body. */
  readonly primary?: TopLevelIndex;
}

export interface ModelProblem {
  readonly model: string;
  readonly message: string;
}

export interface TextGenerationOutput {
  readonly modelsCsv: string;
  readonly dbJson: string;
  /** Models left as they were because models.csv cannot carry PRIMARY's records for them. */
  readonly problems: ModelProblem[];
  /** Models whose rows were added, removed or rewritten, sorted by code point. */
  readonly changedModels: string[];
  /** Where the members of `dbJson` are, when writing it told (a spliced db.json). */
  readonly dbJsonMembers?: MemberLookup;
}

/** The repository's files are not in a shape this writer can edit (not a per-model problem). */
export class TextGenerationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextGenerationError';
  }
}

type Plan =
  | { readonly kind: 'add'; readonly cells: string[] }
  | { readonly kind: 'modify'; readonly rows: readonly number[]; readonly cells: string[] }
  | { readonly kind: 'remove'; readonly rows: readonly number[] };

interface Repo {
  readonly text: string;
  readonly parsed: ParsedModelsCsv;
  readonly context: ConvertContext;
  /** Model name → its row indices, in file order. */
  readonly rowsByModel: Map<string, number[]>;
  /** model_name → the models with it (built on first need). */
  namesByModelName?: Map<string, string[]>;
}

function currentWithModelName(repo: Repo, modelName: string): readonly string[] {
  if (repo.namesByModelName === undefined) {
    repo.namesByModelName = new Map();
    for (const name of repo.rowsByModel.keys()) {
      const key = modelNameOf(name);
      const list = repo.namesByModelName.get(key);
      if (list) list.push(name);
      else repo.namesByModelName.set(key, [name]);
    }
  }
  return repo.namesByModelName.get(modelName) ?? [];
}

interface Primary {
  readonly index: TopLevelIndex;
  /** PRIMARY's models, in its order (listed when first needed: only new rows need it). */
  names(): readonly string[];
  readonly bodies: Map<string, LexValue | undefined>;
}

export function writeTextGeneration(
  current: TextGenerationInput,
  primaryBody: string,
  changes: EntryChanges,
  indexes: TextGenerationIndexes = {},
): TextGenerationOutput {
  const context = loadConvertContext(current.defaultsJson, current.generationParamsJson);
  const parsed = parseModelsCsv(current.modelsCsv);
  const repo: Repo = { text: current.modelsCsv, parsed, context, rowsByModel: rowsByModel(parsed) };
  const source = spliceSource(repo, current.dbJson, indexes.dbJson) ?? fullSource(repo);
  const changedKeys = [...changes.added, ...changes.removed, ...changes.modified];
  if (changedKeys.length === 0) {
    return { modelsCsv: current.modelsCsv, ...source.unchangedDbJson(), problems: [], changedModels: [] };
  }
  checkHeader(parsed.header);
  try {
    return writeChanges(repo, source, primaryBody, indexes.primary, changedKeys);
  } catch (error) {
    if (!(error instanceof NeedsFullConversion)) throw error;
    return writeChanges(repo, fullSource(repo), primaryBody, indexes.primary, changedKeys);
  }
}

function writeChanges(
  repo: Repo,
  source: RecordSource,
  primaryBody: string,
  primaryIndex: TopLevelIndex | undefined,
  changedKeys: readonly string[],
): TextGenerationOutput {
  const index = primaryIndex ?? indexTopLevelObject(primaryBody);
  const inPrimary = (key: string) => index.byKey.has(key);
  let names: string[] | undefined;
  const primary: Primary = {
    index,
    names: () => (names ??= primaryModelNames(index.members.map((member) => member.key), inPrimary)),
    bodies: new Map(),
  };
  const problems: ModelProblem[] = [];
  const groups = groupKeysByModel(changedKeys, {
    isCurrent: (name) => repo.rowsByModel.has(name),
    isPrimary: (name) => isPrimaryModelName(name, inPrimary),
    currentWithModelName: (modelName) => currentWithModelName(repo, modelName),
  });
  for (const key of groups.orphans) {
    problems.push({ model: key, message: `${key} is none of the three keys of a model in models.csv or PRIMARY` });
  }

  const plans = new Map<string, Plan>();
  for (const model of groups.models.keys()) {
    const planned = planModel(model, repo, primary, source);
    if (planned === undefined) continue;
    if ('problem' in planned) problems.push({ model, message: planned.problem });
    else plans.set(model, planned);
  }

  // Write, convert, check; a model that fails goes back to its old rows and the loop runs again.
  for (;;) {
    const pieces = plans.size === 0 ? undefined : editPieces(repo, plans, primary.names);
    const modelsCsv = pieces ? joinCsvEditPieces(repo.text, repo.parsed.rows, pieces) : repo.text;
    let converted: NewRecords | undefined;
    try {
      converted = pieces ? source.afterEdit(pieces, modelsCsv, touchedKeys(plans)) : undefined;
    } catch (error) {
      if (!(error instanceof ConvertError) || !plans.has(error.model)) throw error;
      problems.push({ model: error.model, message: `convert.py would fail on the written row: ${error.reason}` });
      plans.delete(error.model);
      continue;
    }
    const failures = converted ? verify(plans, primary, source, converted) : [];
    if (failures.length > 0) {
      for (const failure of failures) {
        problems.push(failure);
        plans.delete(failure.model);
      }
      continue;
    }
    return {
      modelsCsv,
      ...(converted ? source.render(converted) : source.unchangedDbJson()),
      problems: problems.sort((a, b) => compareCodePoints(a.model, b.model)),
      changedModels: [...plans]
        .filter(([, plan]) => rowsChanged(plan, repo))
        .map(([model]) => model)
        .sort(compareCodePoints),
    };
  }
}

/** Every db.json key the planned rows can change. */
function touchedKeys(plans: ReadonlyMap<string, Plan>): Set<string> {
  const keys = new Set<string>();
  for (const model of plans.keys()) for (const key of dbKeysOf(model)) keys.add(key);
  return keys;
}

function checkHeader(header: readonly string[]): void {
  if (header.length !== MODELS_CSV_HEADER.length || header.some((column, i) => column !== MODELS_CSV_HEADER[i])) {
    throw new TextGenerationError(
      `models.csv has the header "${header.join(',')}", not "${MODELS_CSV_HEADER.join(',')}"; ` +
        'the text_generation writer needs updating for the new columns',
    );
  }
}

function rowsByModel(parsed: ParsedModelsCsv): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const { rowIndex, name } of parsed.modelRows) {
    if (typeof name !== 'string') continue;
    const list = rows.get(name);
    if (list) list.push(rowIndex);
    else rows.set(name, [rowIndex]);
  }
  return rows;
}

function primaryBody(primary: Primary, key: string): LexValue | undefined {
  if (primary.bodies.has(key)) return primary.bodies.get(key);
  const member = primary.index.byKey.get(key);
  // Parsed one entry at a time: bodies reach ~100 MB, and only changed models are ever read.
  // Python's decoder, as PRIMARY is Python: it may write NaN or Infinity inside settings.
  const body = member ? pythonJsonLoads(memberValueText(primary.index, member)) : undefined;
  primary.bodies.set(key, body);
  return body;
}

/** What to do with one model, nothing when models.csv already gives PRIMARY's records. */
function planModel(
  model: string,
  repo: Repo,
  primary: Primary,
  source: RecordSource,
): Plan | { problem: string } | undefined {
  const keys = dbKeysOf(model);
  let bodies: (LexValue | undefined)[];
  try {
    bodies = keys.map((key) => primaryBody(primary, key));
  } catch (error) {
    return { problem: `PRIMARY's entry is not valid JSON (${(error as Error).message})` };
  }
  const rows = repo.rowsByModel.get(model) ?? [];
  if (bodies.every((body) => body === undefined)) return rows.length > 0 ? { kind: 'remove', rows } : undefined;
  if (rows.length > 0 && keys.every((key, i) => lexEqual(source.oldRecord(key), bodies[i]))) return undefined;
  const result = reverseModel({
    name: model,
    bodies,
    existingRows: rows.map((i) => repo.parsed.rows[i]?.cells ?? []),
    header: repo.parsed.header,
    context: repo.context,
  });
  if ('problem' in result) return result;
  return rows.length > 0 ? { kind: 'modify', rows, cells: result.cells } : { kind: 'add', cells: result.cells };
}

/** The edited file's rows: models.csv with the plans applied. */
function editPieces(repo: Repo, plans: ReadonlyMap<string, Plan>, primaryOrder: () => readonly string[]): CsvEditPiece[] {
  const replace = new Map<number, readonly string[]>();
  const remove = new Set<number>();
  for (const plan of plans.values()) {
    if (plan.kind === 'add') continue;
    // A modified model collapses into one row at its first row's place.
    if (plan.kind === 'modify') replace.set(plan.rows[0] as number, plan.cells);
    for (const row of plan.kind === 'modify' ? plan.rows.slice(1) : plan.rows) remove.add(row);
  }
  const added = new Map<string, string[]>();
  for (const [model, plan] of plans) if (plan.kind === 'add') added.set(model, plan.cells);
  const keptRowOf = (model: string): number | undefined => {
    const rows = (repo.rowsByModel.get(model) ?? []).filter((row) => !remove.has(row));
    if (rows.length === 0) return undefined;
    // After the model's adjacent duplicate rows rather than between them.
    let anchor = rows[0] as number;
    while (rows.includes(anchor + 1)) anchor++;
    return anchor;
  };
  const { insertAfter, append } = added.size === 0 ? { insertAfter: new Map(), append: [] } : placeNewRows(primaryOrder(), added, keptRowOf);
  return csvEditPieces(repo.text, repo.parsed.rows, { replace, remove, insertAfter, append });
}

interface NewRecords {
  /** Records of the new db.json: all of them, or (from the splice source) those of the touched keys. */
  readonly records: ReadonlyMap<string, LexObject>;
  /** How many keys the new db.json has. */
  readonly keyCount: number;
  /** Whether the new db.json has a key; asked of touched keys only. */
  hasKey(key: string): boolean;
  /** Every key of the new db.json in its order, when the source splices. */
  readonly order?: readonly string[];
  /**
   * The keys of the written rows, when every other key comes from kept rows only (whose records
   * cannot change); undefined after a full re-conversion.
   */
  readonly writtenKeys: ReadonlySet<string> | undefined;
}

/** Where convert.py's records come from: the whole file converted, or only the rows needed. */
interface RecordSource {
  /** How many keys the current db.json has. */
  readonly oldKeyCount: number;
  hasOldKey(key: string): boolean;
  /** Every key of the current db.json, in its order. */
  oldKeys(): Iterable<string>;
  /** convert.py's record for a key of the current models.csv. */
  oldRecord(key: string): LexObject | undefined;
  /** The records after the edit; at least those of `touched`, the keys the planned rows can change. */
  afterEdit(pieces: readonly CsvEditPiece[], modelsCsv: string, touched: ReadonlySet<string>): NewRecords;
  render(after: NewRecords): WrittenDbJson;
  /** db.json when models.csv does not change. */
  unchangedDbJson(): WrittenDbJson;
}

interface WrittenDbJson {
  readonly dbJson: string;
  readonly dbJsonMembers?: MemberLookup;
}

/** The splice source cannot follow this edit; the writer starts again converting everything. */
class NeedsFullConversion extends Error {}

/** Every row converted up front (which also proves the repository's models.csv converts at all). */
function fullSource(repo: Repo): RecordSource {
  const before = convertRows(repo.parsed, repo.context);
  return {
    oldKeyCount: before.records.size,
    hasOldKey: (key) => before.records.has(key),
    oldKeys: () => before.records.keys(),
    oldRecord: (key) => before.records.get(key),
    afterEdit: (pieces, modelsCsv) => newRecordsOf(repo, pieces, before, modelsCsv),
    render: (after) => ({ dbJson: renderDbJson(after.records as Map<string, LexObject>) }),
    unchangedDbJson: () => ({ dbJson: renderDbJson(before.records) }),
  };
}

/**
 * Only the rows behind the keys the writer looks at are converted, and db.json is the old file
 * with the touched keys' members rendered anew. Undefined when db.json is not convert.py's layout
 * for this models.csv (other keys or order, other framing), which the full source then rewrites.
 */
function spliceSource(repo: Repo, dbJson: string, dbIndex: TopLevelIndex | undefined): RecordSource | undefined {
  let index: TopLevelIndex;
  try {
    index = dbIndex ?? indexTopLevelObject(dbJson);
  } catch {
    return undefined;
  }
  const matched = matchDbJsonRows(repo.parsed, index);
  if (matched === undefined) return undefined;
  const { keysOfRow, firstOfRow } = matched;

  const modelRowAt = new Map<number, ModelRow>();
  for (const row of repo.parsed.modelRows) modelRowAt.set(row.rowIndex, row);
  const convertedRows = new Map<number, ConvertedModel>();
  const convertedRow = (row: number): ConvertedModel => {
    let converted = convertedRows.get(row);
    if (converted === undefined) {
      const modelRow = modelRowAt.get(row);
      if (modelRow === undefined) throw new Error(`models.csv row ${row} is not a model row`);
      converted = convertRow(modelRow.fields, repo.context);
      convertedRows.set(row, converted);
    }
    return converted;
  };
  // A row may write one key twice (a name that is also its koboldcpp/ key): the last one counts.
  const recordOf = (converted: ConvertedModel, key: string) => converted.records[converted.keys.lastIndexOf(key)];

  // The rows that write a key: those named like it, like it without "aphrodite/", or with its
  // model_name after "koboldcpp/", checked against the rows' own keys.
  const rowsOf = (name: string): readonly number[] => repo.rowsByModel.get(name) ?? [];
  const lastRowOf = (key: string): number | undefined => {
    const candidates = [
      ...rowsOf(key),
      ...(key.startsWith(APHRODITE) ? rowsOf(key.slice(APHRODITE.length)) : []),
      ...(key.startsWith(KOBOLDCPP) ? currentWithModelName(repo, key.slice(KOBOLDCPP.length)).flatMap(rowsOf) : []),
    ];
    let last: number | undefined;
    for (const row of candidates) if ((last === undefined || row > last) && keysOfRow[row]?.includes(key)) last = row;
    return last;
  };

  return {
    oldKeyCount: index.members.length,
    hasOldKey: (key) => index.byKey.has(key),
    oldKeys: () => index.byKey.keys(),
    oldRecord(key) {
      const row = lastRowOf(key);
      return row === undefined ? undefined : recordOf(convertedRow(row), key);
    },
    afterEdit(pieces, _modelsCsv, touched) {
      const headerContent = headerIfRowsReadInPlace(repo, pieces);
      if (headerContent === undefined) throw new NeedsFullConversion();
      // The new db.json's keys in order: a key not touched keeps its first row, so it is placed
      // where that (kept) row is; a touched or written key is placed at its first row in the new
      // file and takes its last row's record.
      const order: string[] = [];
      const lastPiece = new Map<string, number>();
      const written = new Map<number, ConvertedModel>();
      const writtenKeys = new Set<string>();
      const place = (key: string, p: number) => {
        if (!lastPiece.has(key)) order.push(key);
        lastPiece.set(key, p);
      };
      pieces.forEach((piece, p) => {
        if (piece.keptRow !== undefined) {
          const keys = keysOfRow[piece.keptRow];
          if (keys === undefined) return; // a blank line
          const first = firstOfRow[piece.keptRow] as number;
          keys.forEach((key, i) => {
            if (touched.has(key)) place(key, p);
            else if ((first & (1 << i)) !== 0) order.push(key);
          });
          return;
        }
        const row = readWrittenRow(headerContent, piece.content);
        if (row === undefined) throw new NeedsFullConversion();
        const fields = row.modelRows[0]?.fields;
        if (fields === undefined) return;
        const converted = convertRow(fields, repo.context);
        written.set(p, converted);
        for (const key of converted.keys) {
          writtenKeys.add(key);
          place(key, p);
        }
      });
      const records = new Map<string, LexObject>();
      for (const [key, p] of lastPiece) {
        const converted = written.get(p) ?? convertedRow(pieces[p]?.keptRow as number);
        records.set(key, recordOf(converted, key) as LexObject);
      }
      return { records, keyCount: order.length, hasKey: (key) => lastPiece.has(key), order, writtenKeys };
    },
    render(after) {
      const rendered = new Map<string, RenderedMember>();
      for (const [key, record] of after.records) rendered.set(key, renderDbJsonMember(key, record));
      const spliced = spliceDbJson(index, after.order ?? [], rendered);
      return { dbJson: spliced.text, dbJsonMembers: spliced.members };
    },
    unchangedDbJson: () => ({ dbJson, dbJsonMembers: lookupOf(index) }),
  };
}

const APHRODITE = 'aphrodite/';
const KOBOLDCPP = 'koboldcpp/';

/**
 * convert.py's `data` for the edited file, converting only the written rows; the whole text is
 * parsed again only when the rows could read back differently in place (see recordsAfterEdits).
 */
function newRecordsOf(repo: Repo, pieces: readonly CsvEditPiece[], before: RowRecords, modelsCsv: string): NewRecords {
  const headerContent = headerIfRowsReadInPlace(repo, pieces);
  const incremental = headerContent === undefined ? undefined : recordsAfterEdits(pieces, headerContent, before, repo.context);
  const records = incremental?.records ?? convertRecordsOf(parseModelsCsv(modelsCsv), repo.context);
  return { records, keyCount: records.size, hasKey: (key) => records.has(key), writtenKeys: incremental?.writtenKeys };
}

/**
 * The header row's text, when the edited file's rows read back as the pieces say; undefined when
 * the whole file must be parsed again: no header, or a last row without a terminator (it may end
 * inside an open quote, which would swallow rows placed after it).
 */
function headerIfRowsReadInPlace(repo: Repo, pieces: readonly CsvEditPiece[]): string | undefined {
  const rows = repo.parsed.rows;
  const header = rows[0];
  const last = rows[rows.length - 1];
  const lastRowOpen = last !== undefined && last.contentEnd === repo.text.length;
  if (header === undefined || (lastRowOpen && pieces.at(-1)?.keptRow !== rows.length - 1)) return undefined;
  return repo.text.slice(header.start, header.contentEnd);
}

/** Changed models must match PRIMARY key by key; every other key must be as it was. */
function verify(plans: ReadonlyMap<string, Plan>, primary: Primary, source: RecordSource, converted: NewRecords): ModelProblem[] {
  const newRecords = converted.records;
  const failures: ModelProblem[] = [];
  const checked = new Set<string>();
  for (const model of plans.keys()) {
    const wrong = dbKeysOf(model).filter((key) => {
      checked.add(key);
      return !lexEqual(newRecords.get(key), primaryBody(primary, key));
    });
    if (wrong.length > 0) {
      failures.push({
        model,
        message: `after writing its row, convert.py's ${wrong.join(', ')} would differ from PRIMARY's`,
      });
    }
  }
  if (converted.writtenKeys) {
    // Every other key comes from kept rows only, whose records cannot change, so it is untouched by
    // construction; what is left to check cheaply is that the written rows carry only changed
    // models' keys and that no other key appeared or went.
    for (const key of converted.writtenKeys) {
      if (!checked.has(key)) {
        throw new TextGenerationError(`writing models.csv changed ${key}, which no change asked for`);
      }
    }
    let expected = source.oldKeyCount;
    for (const key of checked) expected += Number(converted.hasKey(key)) - Number(source.hasOldKey(key));
    if (converted.keyCount !== expected) {
      throw new TextGenerationError('writing models.csv added or dropped a key that no change asked for');
    }
    return failures;
  }
  // After a full re-conversion every other key must be as it was; rows of other models are copied
  // unchanged, so a difference would be a bug in the writer itself.
  for (const key of new Set([...source.oldKeys(), ...newRecords.keys()])) {
    if (!checked.has(key) && !lexEqual(source.oldRecord(key), newRecords.get(key))) {
      throw new TextGenerationError(`writing models.csv changed ${key}, which no change asked for`);
    }
  }
  return failures;
}

function rowsChanged(plan: Plan, repo: Repo): boolean {
  if (plan.kind !== 'modify') return true;
  const first = repo.parsed.rows[plan.rows[0] as number];
  return plan.rows.length > 1 || !first || plan.cells.some((cell, j) => cell !== first.cells[j]);
}
