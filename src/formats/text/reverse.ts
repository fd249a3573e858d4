/**
 * PRIMARY's three records of a model → the models.csv cells that make convert.py write them.
 *
 * The rule throughout: an existing cell is kept verbatim whenever its contribution to the record is
 * unchanged (so `roleplay, popular`, ` 12` or `{"rep_pen":1.18}` survive), and only a cell whose
 * meaning changed gets a new spelling. The chosen cells are then run through the converter and
 * must give PRIMARY's record exactly; anything else is reported as a problem, never written.
 */
import { LexNumber, type LexObject, type LexValue } from '../json/lex-value.js';
import { ConvertError, convertRow, type ConvertContext, type DictRow } from './convert.js';
import { differingFields, lexEqual } from './lex-equal.js';
import { parametersBnFor } from './parameters-bn.js';
import { pythonDumpsCompact } from './python-json-compact.js';
import {
  dbKeysOf,
  deriveDisplayName,
  modelNameOf,
  parametersFromCell,
  parametersLexeme,
  settingsFromCell,
  sizeTag,
  tagTokens,
  tagsFromCells,
} from './row-fields.js';

export const MODELS_CSV_HEADER = [
  'name',
  'parameters_bn',
  'display_name',
  'url',
  'baseline',
  'description',
  'style',
  'tags',
  'instruct_format',
  'settings',
] as const;

export type ReverseResult = { readonly cells: string[] } | { readonly problem: string };

export interface ReverseInput {
  /** The model's `name`. */
  readonly name: string;
  /** PRIMARY's bodies for `dbKeysOf(name)`, in that order (undefined where PRIMARY lacks the key). */
  readonly bodies: readonly (LexValue | undefined)[];
  /** The model's current rows (cells in header order), in file order; empty for a new model. */
  readonly existingRows: readonly (readonly string[])[];
  readonly header: readonly string[];
  readonly context: ConvertContext;
}

/** Marks a field convert.py leaves out of the record. */
const ABSENT = Symbol('absent');
type Produced = LexValue | typeof ABSENT;

function same(a: Produced, b: Produced): boolean {
  if (a === ABSENT || b === ABSENT) return a === b;
  return lexEqual(a, b);
}

export function reverseModel(input: ReverseInput): ReverseResult {
  const { name, bodies, header } = input;
  const keys = dbKeysOf(name);
  const missing = keys.filter((_, i) => bodies[i] === undefined);
  if (missing.length > 0) {
    return { problem: `PRIMARY lacks ${missing.join(', ')}: models.csv always gives a model all three keys` };
  }
  const records: LexObject[] = [];
  for (const [i, body] of bodies.entries()) {
    if (!(body instanceof Map)) return { problem: `PRIMARY's ${keys[i]} is not a JSON object` };
    if (body.get('name') !== keys[i]) {
      return { problem: `PRIMARY's ${keys[i]} has name ${JSON.stringify(body.get('name'))}; convert.py sets the key` };
    }
    records.push(body);
  }
  const target = records[0] as LexObject;
  for (const [i, record] of records.entries()) {
    const fields = differingFields(withoutName(target), withoutName(record));
    if (fields.length > 0) {
      return {
        problem: `PRIMARY's ${keys[0]} and ${keys[i]} differ in ${fields.join(', ')}; one models.csv row gives all three keys the same values`,
      };
    }
  }
  const modelName = modelNameOf(name);
  if (target.get('model_name') !== modelName) {
    return { problem: `model_name ${JSON.stringify(target.get('model_name'))} is not ${JSON.stringify(modelName)}, the one convert.py derives from the name` };
  }

  const cells = chooseCells(input, target, modelName);
  return checkCells(input, cells, target);
}

function withoutName(record: LexObject): LexObject {
  const copy = new Map(record);
  copy.delete('name');
  return copy;
}

function chooseCells(input: ReverseInput, target: LexObject, modelName: string): string[] {
  const { header, existingRows, context } = input;
  const defaults: LexObject = context.defaults instanceof Map ? context.defaults : new Map();
  // The row that keeps its place comes first, then the one convert.py currently takes values from.
  const candidates = existingRows.length > 0 ? [existingRows[0] ?? [], ...existingRows.slice(1).reverse()] : [];
  const pick = (column: string, yields: (cell: string) => boolean, fresh: () => string): string => {
    const j = header.indexOf(column);
    for (const row of candidates) {
      const cell = row[j] ?? '';
      if (yields(cell)) return cell;
    }
    return fresh();
  };
  const firstCell = (column: string): string => existingRows[0]?.[header.indexOf(column)] ?? '';
  const targetOf = (field: string): Produced => (target.has(field) ? (target.get(field) as LexValue) : ABSENT);
  const plainProduced = (column: string, cell: string): Produced =>
    cell ? cell : defaults.has(column) ? (defaults.get(column) as LexValue) : ABSENT;
  const targetTags = target.get('tags');
  const tagList = Array.isArray(targetTags) && targetTags.every((t) => typeof t === 'string') ? (targetTags as string[]) : undefined;

  // parameters_bn: its count (0 falls back to defaults' null) and its size tag.
  const targetParameters = targetOf('parameters');
  const producedParameters = (cell: string): Produced | undefined => {
    const parameters = parametersFromCell(cell);
    if ('error' in parameters) return undefined;
    return parameters.count !== 0n ? parametersLexeme(parameters.count) : plainProduced('parameters', '');
  };
  const paramsCell = pick(
    'parameters_bn',
    (cell) => {
      const produced = producedParameters(cell);
      const parameters = parametersFromCell(cell);
      return produced !== undefined && same(produced, targetParameters) && !('error' in parameters) && (tagList?.includes(sizeTag(parameters.billions)) ?? true);
    },
    () =>
      freshParameters(targetParameters, producedParameters('0'), (billions) => tagList?.includes(sizeTag(billions)) ?? true) ??
      firstCell('parameters_bn'),
  );
  const parsedParams = parametersFromCell(paramsCell);
  const billions = 'error' in parsedParams ? 0 : parsedParams.billions;

  // style: the record's style, and (when the cell is non-empty) a tag.
  const targetStyle = targetOf('style');
  const styleCell = pick(
    'style',
    (cell) => same(plainProduced('style', cell), targetStyle) && (!cell || (tagList?.includes(cell) ?? false)),
    () => {
      if (typeof targetStyle !== 'string') return '';
      const needsTag = tagList?.includes(targetStyle) ?? false;
      return same(plainProduced('style', ''), targetStyle) && !needsTag ? '' : targetStyle;
    },
  );

  // tags: the user part of the list; convert.py adds the style and the size tag itself.
  const tagsCell = pick(
    'tags',
    (cell) => tagList !== undefined && lexEqual(tagsFromCells(cell, styleCell, billions), tagList),
    () => (tagList ? freshTags(tagList, styleCell, sizeTag(billions), firstCell('tags')) : firstCell('tags')),
  );

  // display_name: empty when it equals the one derived from model_name.
  const derived = deriveDisplayName(modelName);
  const targetDisplay = targetOf('display_name');
  const displayCell = pick(
    'display_name',
    (cell) => same((cell || derived) === '' ? ABSENT : cell || derived, targetDisplay),
    () => (typeof targetDisplay === 'string' && targetDisplay !== derived ? targetDisplay : ''),
  );

  // settings: a JSON object, compared by value; written compactly as Python's json.dumps does.
  const targetSettings = targetOf('settings');
  const settingsCell = pick(
    'settings',
    (cell) => {
      try {
        const settings = settingsFromCell(cell);
        return settings instanceof Map && same(settings.size > 0 ? settings : ABSENT, targetSettings);
      } catch {
        return false;
      }
    },
    () => (targetSettings instanceof Map && targetSettings.size > 0 ? pythonDumpsCompact(targetSettings) : ''),
  );

  return header.map((column) => {
    switch (column) {
      case 'name':
        return input.name;
      case 'parameters_bn':
        return paramsCell;
      case 'style':
        return styleCell;
      case 'tags':
        return tagsCell;
      case 'display_name':
        return displayCell;
      case 'settings':
        return settingsCell;
      default: {
        const wanted = targetOf(column);
        return pick(
          column,
          (cell) => same(plainProduced(column, cell), wanted),
          () => (typeof wanted === 'string' && !same(plainProduced(column, ''), wanted) ? wanted : ''),
        );
      }
    }
  });
}

function freshParameters(
  target: Produced,
  producedByZero: Produced | undefined,
  accept: (billions: number) => boolean,
): string | undefined {
  if (producedByZero !== undefined && same(producedByZero, target) && accept(0)) return '0';
  if (!(target instanceof LexNumber) || !Number.isInteger(target.value)) return undefined;
  const count = /^-?\d+$/.test(target.lexeme) ? BigInt(target.lexeme) : BigInt(target.value);
  return parametersBnFor(count, accept);
}

/**
 * A tags cell for `tags`: the previous cell's tokens that are still wanted, in their order, then
 * the missing ones; joined with the previous cell's separator (`", "` by default).
 */
function freshTags(tags: readonly string[], styleCell: string, size: string, previous: string): string {
  const wanted = tags.filter((tag) => tag !== size && !(styleCell && tag === styleCell));
  const kept = [...new Set(tagTokens(previous).filter((token) => tags.includes(token)))];
  const tokens = [...kept, ...wanted.filter((tag) => !kept.includes(tag))];
  const separator = previous.includes(', ') || !previous.includes(',') ? ', ' : ',';
  const nonEmpty = tokens.filter((token) => token !== '');
  // An empty tag can only come from an empty token: a trailing separator ("a, ") or a lone ",".
  if (nonEmpty.length === tokens.length) return nonEmpty.join(separator);
  return nonEmpty.length === 0 ? ',' : nonEmpty.join(separator) + separator;
}

/** Runs the cells through the converter; they must give PRIMARY's record, value for value. */
function checkCells(input: ReverseInput, cells: string[], target: LexObject): ReverseResult {
  const fields: DictRow = new Map();
  input.header.forEach((column, j) => fields.set(column, cells[j] ?? ''));
  let produced: LexObject;
  try {
    produced = convertRow(fields, input.context).records[0];
  } catch (error) {
    if (error instanceof ConvertError) return { problem: `models.csv cannot express it: ${error.reason}` };
    throw error;
  }
  const fieldsOff = differingFields(target, produced).filter((field) => field !== 'name');
  if (fieldsOff.length === 0) return { cells };
  return { problem: fieldsOff.map((field) => explain(field, target, produced, input)).join('; ') };
}

function explain(field: string, target: LexObject, produced: LexObject, input: ReverseInput): string {
  const defaults = input.context.defaults instanceof Map ? input.context.defaults : new Map<string, LexValue>();
  const show = (record: LexObject) => (record.has(field) ? clip(pythonDumpsCompact(record.get(field) as LexValue)) : '(absent)');
  const isColumn = input.header.includes(field) || field === 'parameters';
  if (!isColumn && field !== 'model_name') {
    const origin = defaults.has(field) ? `differs from defaults.json (${show(produced)})` : 'is not in defaults.json';
    return `field "${field}" is not a models.csv column and ${origin}: PRIMARY has ${show(target)}`;
  }
  return `field "${field}": PRIMARY has ${show(target)}, the nearest models.csv row gives ${show(produced)}`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
