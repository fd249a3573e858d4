/**
 * Chooses the models.csv cells for a record, one column at a time. An existing cell is kept
 * verbatim whenever its contribution to the record is what the record wants (so `roleplay, popular`,
 * ` 12` or `{"rep_pen":1.18}` survive untouched); only a cell whose meaning changed gets a fresh
 * spelling, written the way the repository's people write them. Whether the result really gives
 * the record is checked afterwards, by running the converter (reverse.ts).
 */
import { LexNumber, type LexObject, type LexValue } from '../json/lex-value.js';
import type { ConvertContext } from './convert.js';
import { lexEqual } from './lex-equal.js';
import { parametersBnFor } from './parameters-bn.js';
import { pythonDumpsCompact } from './python-json-compact.js';
import {
  deriveDisplayName,
  parametersFromCell,
  parametersLexeme,
  settingsFromCell,
  sizeTag,
  tagTokens,
  tagsFromCells,
} from './row-fields.js';

/** Marks a field convert.py leaves out of the record. */
const ABSENT = Symbol('absent');
type Produced = LexValue | typeof ABSENT;

function same(a: Produced, b: Produced): boolean {
  if (a === ABSENT || b === ABSENT) return a === b;
  return lexEqual(a, b);
}

export interface CellChoiceInput {
  readonly name: string;
  readonly modelName: string;
  /** The record to reproduce (PRIMARY's body for the model's plain-name key). */
  readonly target: LexObject;
  /** The model's current rows (cells in header order), in file order; empty for a new model. */
  readonly existingRows: readonly (readonly string[])[];
  readonly header: readonly string[];
  readonly context: ConvertContext;
}

/** What the choosers share: the record, the existing cells, and the plain-column rule. */
class Picker {
  private readonly candidates: readonly (readonly string[])[];
  private readonly defaults: LexObject;
  /** The record's tags when they are a list of strings. */
  readonly tags: readonly string[] | undefined;

  constructor(readonly input: CellChoiceInput) {
    const rows = input.existingRows;
    // The row that keeps its place comes first, then the one convert.py currently takes values from.
    this.candidates = rows.length > 0 ? [rows[0] ?? [], ...rows.slice(1).reverse()] : [];
    this.defaults = input.context.defaults instanceof Map ? input.context.defaults : new Map();
    const tags = input.target.get('tags');
    this.tags = Array.isArray(tags) && tags.every((tag) => typeof tag === 'string') ? (tags as string[]) : undefined;
  }

  /** The first existing cell of `column` that `yields`, else `fresh()`. */
  pick(column: string, yields: (cell: string) => boolean, fresh: () => string): string {
    const j = this.input.header.indexOf(column);
    for (const row of this.candidates) {
      const cell = row[j] ?? '';
      if (yields(cell)) return cell;
    }
    return fresh();
  }

  /** The current cell at the model's first row (the row that keeps its place). */
  firstCell(column: string): string {
    return this.input.existingRows[0]?.[this.input.header.indexOf(column)] ?? '';
  }

  wanted(field: string): Produced {
    return this.input.target.has(field) ? (this.input.target.get(field) as LexValue) : ABSENT;
  }

  /** A plain column: a non-empty cell is the value; an empty one leaves defaults.json's, if any. */
  plain(column: string, cell: string): Produced {
    if (cell) return cell;
    return this.defaults.has(column) ? (this.defaults.get(column) as LexValue) : ABSENT;
  }

  /** Whether a float's size tag is in the record's tags. */
  sizeTagFits(billions: number): boolean {
    return this.tags?.includes(sizeTag(billions)) ?? true;
  }
}

export function chooseCells(input: CellChoiceInput): string[] {
  const picker = new Picker(input);
  const parametersCell = chooseParameters(picker);
  const parsed = parametersFromCell(parametersCell);
  const billions = 'error' in parsed ? 0 : parsed.billions;
  const styleCell = chooseStyle(picker);
  const cells: Record<string, string> = {
    name: input.name,
    parameters_bn: parametersCell,
    style: styleCell,
    tags: chooseTags(picker, styleCell, billions),
    display_name: chooseDisplayName(picker),
    settings: chooseSettings(picker),
  };
  return input.header.map((column) => cells[column] ?? choosePlain(picker, column));
}

/** parameters_bn gives the count (0 leaves defaults' null) and the size tag. */
function chooseParameters(picker: Picker): string {
  const wanted = picker.wanted('parameters');
  const produced = (cell: string): Produced | undefined => {
    const parameters = parametersFromCell(cell);
    if ('error' in parameters) return undefined;
    return parameters.count !== 0n ? parametersLexeme(parameters.count) : picker.plain('parameters', '');
  };
  const fresh = (): string => {
    const byZero = produced('0');
    if (byZero !== undefined && same(byZero, wanted) && picker.sizeTagFits(0)) return '0';
    if (!(wanted instanceof LexNumber) || !Number.isInteger(wanted.value)) return picker.firstCell('parameters_bn');
    const count = /^-?\d+$/.test(wanted.lexeme) ? BigInt(wanted.lexeme) : BigInt(wanted.value);
    return parametersBnFor(count, (billions) => picker.sizeTagFits(billions)) ?? picker.firstCell('parameters_bn');
  };
  return picker.pick(
    'parameters_bn',
    (cell) => {
      const parameters = parametersFromCell(cell);
      const value = produced(cell);
      if ('error' in parameters || value === undefined) return false;
      return same(value, wanted) && picker.sizeTagFits(parameters.billions);
    },
    fresh,
  );
}

/** style gives the record's style and, when the cell is not empty, a tag. */
function chooseStyle(picker: Picker): string {
  const wanted = picker.wanted('style');
  const isTag = (style: string) => picker.tags?.includes(style) ?? false;
  return picker.pick(
    'style',
    (cell) => same(picker.plain('style', cell), wanted) && (!cell || isTag(cell)),
    () => {
      if (typeof wanted !== 'string') return '';
      // The default style needs no cell, unless it is also one of the tags.
      return same(picker.plain('style', ''), wanted) && !isTag(wanted) ? '' : wanted;
    },
  );
}

/** tags holds the user part of the list; convert.py adds the style and the size tag itself. */
function chooseTags(picker: Picker, styleCell: string, billions: number): string {
  const tags = picker.tags;
  const previous = picker.firstCell('tags');
  return picker.pick(
    'tags',
    (cell) => tags !== undefined && lexEqual(tagsFromCells(cell, styleCell, billions), tags as string[]),
    () => (tags ? freshTags(tags, styleCell, sizeTag(billions), previous) : previous),
  );
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

/** display_name is left empty when it equals the one derived from model_name. */
function chooseDisplayName(picker: Picker): string {
  const derived = deriveDisplayName(picker.input.modelName);
  const wanted = picker.wanted('display_name');
  return picker.pick(
    'display_name',
    (cell) => same((cell || derived) === '' ? ABSENT : cell || derived, wanted),
    () => (typeof wanted === 'string' && wanted !== derived ? wanted : ''),
  );
}

/** settings is a JSON object compared by value, written compactly as Python's json.dumps does. */
function chooseSettings(picker: Picker): string {
  const wanted = picker.wanted('settings');
  const yields = (cell: string): boolean => {
    try {
      const settings = settingsFromCell(cell);
      return settings instanceof Map && same(settings.size > 0 ? settings : ABSENT, wanted);
    } catch {
      return false;
    }
  };
  return picker.pick('settings', yields, () =>
    wanted instanceof Map && wanted.size > 0 ? pythonDumpsCompact(wanted) : '',
  );
}

/** url, baseline, description, instruct_format: the value itself, or empty for the default. */
function choosePlain(picker: Picker, column: string): string {
  const wanted = picker.wanted(column);
  return picker.pick(
    column,
    (cell) => same(picker.plain(column, cell), wanted),
    () => (typeof wanted === 'string' && !same(picker.plain(column, ''), wanted) ? wanted : ''),
  );
}
