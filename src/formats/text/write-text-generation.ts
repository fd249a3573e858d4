/**
 * The text_generation writer: applies PRIMARY's changed db.json keys to models.csv (the source of
 * truth), touching only the rows of the models that changed, then regenerates db.json exactly as
 * the repository's convert.py would. Before anything is returned, the new db.json is checked
 * against PRIMARY for every changed model and against the old one for every other key; a model
 * that models.csv cannot express, or that fails the check, is left as it was and reported.
 */
import { type LexObject, type LexValue } from '../json/lex-value.js';
import { indexTopLevelObject, memberValueText, type TopLevelIndex } from '../json/top-level.js';
import {
  ConvertError,
  convertRecordsOf,
  loadConvertContext,
  parseModelsCsv,
  renderDbJson,
  type ConvertContext,
  type ParsedModelsCsv,
} from './convert.js';
import { csvEditPieces, type CsvEditPiece } from './csv-edit-pieces.js';
import { joinCsvEditPieces } from './csv-edit.js';
import { lexEqual } from './lex-equal.js';
import { groupKeysByModel, primaryModelNames } from './model-groups.js';
import { compareCodePoints } from './python-compat.js';
import { pythonJsonLoads } from './python-json-loads.js';
import { MODELS_CSV_HEADER, reverseModel } from './reverse.js';
import { dbKeysOf } from './row-fields.js';
import { placeNewRows } from './row-placement.js';
import { convertRows, recordsAfterEdits, type RowRecords } from './row-records.js';

/** db.json keys, as the diff against PRIMARY found them. */
export interface EntryChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly modified: readonly string[];
}

export interface TextGenerationInput {
  readonly modelsCsv: string;
  readonly defaultsJson: string;
  readonly generationParamsJson: string;
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
}

interface Primary {
  readonly index: TopLevelIndex;
  /** PRIMARY's models, in its order. */
  readonly names: string[];
  readonly bodies: Map<string, LexValue | undefined>;
}

export function writeTextGeneration(
  current: TextGenerationInput,
  primaryBody: string,
  changes: EntryChanges,
): TextGenerationOutput {
  const context = loadConvertContext(current.defaultsJson, current.generationParamsJson);
  const parsed = parseModelsCsv(current.modelsCsv);
  // Also proves the repository's models.csv converts at all; a ConvertError here is not ours to fix.
  const before = convertRows(parsed, context);
  const oldRecords = before.records;
  const changedKeys = [...changes.added, ...changes.removed, ...changes.modified];
  if (changedKeys.length === 0) {
    return { modelsCsv: current.modelsCsv, dbJson: renderDbJson(oldRecords), problems: [], changedModels: [] };
  }
  checkHeader(parsed.header);

  const repo: Repo = { text: current.modelsCsv, parsed, context, rowsByModel: rowsByModel(parsed) };
  const index = indexTopLevelObject(primaryBody);
  const primary: Primary = {
    index,
    names: primaryModelNames(
      index.members.map((member) => member.key),
      (key) => index.byKey.has(key),
    ),
    bodies: new Map(),
  };
  const problems: ModelProblem[] = [];
  const groups = groupKeysByModel(changedKeys, new Set(repo.rowsByModel.keys()), new Set(primary.names));
  for (const key of groups.orphans) {
    problems.push({ model: key, message: `${key} is none of the three keys of a model in models.csv or PRIMARY` });
  }

  const plans = new Map<string, Plan>();
  for (const model of groups.models.keys()) {
    const planned = planModel(model, repo, primary, oldRecords);
    if (planned === undefined) continue;
    if ('problem' in planned) problems.push({ model, message: planned.problem });
    else plans.set(model, planned);
  }

  // Write, convert, check; a model that fails goes back to its old rows and the loop runs again.
  for (;;) {
    const pieces = plans.size === 0 ? undefined : editPieces(repo, plans, primary.names);
    const modelsCsv = pieces ? joinCsvEditPieces(repo.text, parsed.rows, pieces) : repo.text;
    let converted: NewRecords;
    try {
      converted = pieces
        ? newRecordsOf(repo, pieces, before, modelsCsv)
        : { records: oldRecords, writtenKeys: new Set() };
    } catch (error) {
      if (!(error instanceof ConvertError) || !plans.has(error.model)) throw error;
      problems.push({ model: error.model, message: `convert.py would fail on the written row: ${error.reason}` });
      plans.delete(error.model);
      continue;
    }
    const newRecords = converted.records;
    const failures = verify(plans, primary, oldRecords, converted);
    if (failures.length > 0) {
      for (const failure of failures) {
        problems.push(failure);
        plans.delete(failure.model);
      }
      continue;
    }
    return {
      modelsCsv,
      dbJson: renderDbJson(newRecords),
      problems: problems.sort((a, b) => compareCodePoints(a.model, b.model)),
      changedModels: [...plans]
        .filter(([, plan]) => rowsChanged(plan, repo))
        .map(([model]) => model)
        .sort(compareCodePoints),
    };
  }
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
  for (const { rowIndex, fields } of parsed.modelRows) {
    const name = fields.get('name');
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
  oldRecords: Map<string, LexObject>,
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
  if (rows.length > 0 && keys.every((key, i) => lexEqual(oldRecords.get(key), bodies[i]))) return undefined;
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
function editPieces(repo: Repo, plans: ReadonlyMap<string, Plan>, primaryOrder: readonly string[]): CsvEditPiece[] {
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
  const { insertAfter, append } = placeNewRows(primaryOrder, added, keptRowOf);
  return csvEditPieces(repo.text, repo.parsed.rows, { replace, remove, insertAfter, append });
}

interface NewRecords {
  readonly records: Map<string, LexObject>;
  /**
   * The keys of the written rows, when kept rows' records are the old ones (the same objects) so
   * only these keys can differ; undefined after a full re-conversion.
   */
  readonly writtenKeys: ReadonlySet<string> | undefined;
}

/**
 * convert.py's `data` for the edited file, converting only the written rows; the whole text is
 * parsed again only when the rows could read back differently in place (see recordsAfterEdits).
 */
function newRecordsOf(repo: Repo, pieces: readonly CsvEditPiece[], before: RowRecords, modelsCsv: string): NewRecords {
  const rows = repo.parsed.rows;
  const header = rows[0];
  const last = rows[rows.length - 1];
  // A last row without a terminator may end inside an open quote, which would swallow rows after it.
  const lastRowOpen = last !== undefined && last.contentEnd === repo.text.length;
  const lastKeptIsLast = pieces.length > 0 && pieces[pieces.length - 1]?.keptRow === rows.length - 1;
  const incremental =
    header === undefined || (lastRowOpen && !lastKeptIsLast)
      ? undefined
      : recordsAfterEdits(pieces, repo.text.slice(header.start, header.contentEnd), before, repo.context);
  return incremental ?? { records: convertRecordsOf(parseModelsCsv(modelsCsv), repo.context), writtenKeys: undefined };
}

/** Changed models must match PRIMARY key by key; every other key must be as it was. */
function verify(
  plans: ReadonlyMap<string, Plan>,
  primary: Primary,
  oldRecords: ReadonlyMap<string, LexObject>,
  converted: NewRecords,
): ModelProblem[] {
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
    // Every other key comes from kept rows only, whose records are reused in the same order, so it
    // is untouched by construction; what is left to check cheaply is that the written rows carry
    // only changed models' keys and that no other key appeared or went.
    for (const key of converted.writtenKeys) {
      if (!checked.has(key)) {
        throw new TextGenerationError(`writing models.csv changed ${key}, which no change asked for`);
      }
    }
    let expected = oldRecords.size;
    for (const key of checked) expected += Number(newRecords.has(key)) - Number(oldRecords.has(key));
    if (newRecords.size !== expected) {
      throw new TextGenerationError('writing models.csv added or dropped a key that no change asked for');
    }
    return failures;
  }
  // After a full re-conversion every other key must be as it was; rows of other models are copied
  // unchanged, so a difference would be a bug in the writer itself.
  for (const key of new Set([...oldRecords.keys(), ...newRecords.keys()])) {
    if (!checked.has(key) && !lexEqual(oldRecords.get(key), newRecords.get(key))) {
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
