/**
 * PRIMARY's three records of a model → the models.csv cells that make convert.py write them.
 *
 * First the checks that need no cells (one row always gives the three keys identical bodies and a
 * model_name derived from the name); then the cells are chosen (cell-choice.ts, which keeps every
 * existing cell whose contribution is unchanged) and run through the converter, which must give
 * PRIMARY's record value for value. Anything else is reported as a problem, never written.
 */
import { type LexObject, type LexValue } from '../json/lex-value.js';
import { chooseCells } from './cell-choice.js';
import { ConvertError, convertRow, type ConvertContext, type DictRow } from './convert.js';
import { differingFields } from './lex-equal.js';
import { pythonDumpsCompact } from './python-json-compact.js';
import { dbKeysOf, modelNameOf } from './row-fields.js';

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

export function reverseModel(input: ReverseInput): ReverseResult {
  const { name, bodies } = input;
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
      const problem = `PRIMARY's ${keys[0]} and ${keys[i]} differ in ${fields.join(', ')}`;
      return { problem: `${problem}; one models.csv row gives all three keys the same values` };
    }
  }
  const modelName = modelNameOf(name);
  if (target.get('model_name') !== modelName) {
    const found = JSON.stringify(target.get('model_name'));
    const derived = JSON.stringify(modelName);
    return { problem: `model_name ${found} is not ${derived}, which convert.py derives from the name` };
  }

  const cells = chooseCells({ ...input, modelName, target });
  return checkCells(input, cells, target);
}

function withoutName(record: LexObject): LexObject {
  const copy = new Map(record);
  copy.delete('name');
  return copy;
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
  const show = (record: LexObject) =>
    record.has(field) ? clip(pythonDumpsCompact(record.get(field) as LexValue)) : '(absent)';
  const isColumn = input.header.includes(field) || field === 'parameters';
  if (!isColumn && field !== 'model_name') {
    const origin = defaults.has(field) ? `differs from defaults.json (${show(produced)})` : 'is not in defaults.json';
    return `field "${field}" is not a models.csv column and ${origin}: PRIMARY has ${show(target)}`;
  }
  return `field "${field}": PRIMARY has ${show(target)}, the closest models.csv row gives ${show(produced)}`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
