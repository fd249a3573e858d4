/**
 * What each models.csv cell becomes in a db.json record, one function per rule of convert.py.
 * The converter composes them; the reverse mapping uses the same functions to test whether an
 * existing cell still yields a record's value, so both directions share one definition.
 */
import { LexNumber, type LexValue } from '../json/lex-value.js';
import { compareCodePoints, pyFloat, pyFormatFixed0, pyIntOfFloat, pyRound0, pyStrip } from './python-compat.js';
import { pythonJsonLoads } from './python-json-loads.js';

/** `name.split("/")[1] if "/" in name else name`: the second path part, not "all after the first slash". */
export function modelNameOf(name: string): string {
  const first = name.indexOf('/');
  if (first < 0) return name;
  const second = name.indexOf('/', first + 1);
  return second < 0 ? name.slice(first + 1) : name.slice(first + 1, second);
}

/** The three db.json keys convert.py writes for a model, in file order. */
export function dbKeysOf(name: string): [string, string, string] {
  return [name, `aphrodite/${name}`, `koboldcpp/${modelNameOf(name)}`];
}

/** `re.sub(r" +", " ", re.sub(r"[-_]", " ", model_name)).strip()` */
export function deriveDisplayName(modelName: string): string {
  return pyStrip(modelName.replace(/[-_]/g, ' ').replace(/ +/g, ' '));
}

export interface Parameters {
  /** `float(parameters_bn)` */
  readonly billions: number;
  /** `int(billions * 1_000_000_000)` */
  readonly count: bigint;
}

/** The parameters a `parameters_bn` cell yields, or a reason convert.py stops. */
export function parametersFromCell(cell: string): Parameters | { readonly error: string } {
  const billions = pyFloat(cell);
  if (billions === undefined) return { error: `could not convert string to float: ${JSON.stringify(cell)}` };
  // Same IEEE multiplication as Python's float * int, then truncation toward zero.
  const count = pyIntOfFloat(billions * 1_000_000_000);
  if (count === undefined) {
    return { error: `cannot convert float ${Number.isNaN(billions) ? 'NaN' : 'infinity'} to integer` };
  }
  return { billions, count };
}

/** `f"{round(params_f, 0):.0f}B"`: round half to even, so 2.5 gives "2B" and 3.5 gives "4B". */
export function sizeTag(billions: number): string {
  return `${pyFormatFixed0(pyRound0(billions))}B`;
}

/** The user part of the tags: `set(t.strip() for t in cell.split(","))`, empty cell giving none. */
export function tagTokens(cell: string | null): string[] {
  return cell ? cell.split(',').map(pyStrip) : [];
}

/** The record's tags: user tags, plus the style cell when non-empty, plus the size tag, sorted. */
export function tagsFromCells(tagsCell: string | null, styleCell: string | null, billions: number): string[] {
  const tags = new Set(tagTokens(tagsCell));
  if (styleCell) tags.add(styleCell);
  tags.add(sizeTag(billions));
  return [...tags].sort(compareCodePoints);
}

/** `json.loads(cell) if cell else {}`; throws `PythonJsonError` where Python raises JSONDecodeError. */
export function settingsFromCell(cell: string | null): LexValue {
  return cell ? pythonJsonLoads(cell) : new Map();
}

/** Python's `k in container` for the container types json.load can return, or undefined on TypeError. */
export function pyContains(container: LexValue, key: string): boolean | undefined {
  if (container instanceof Map) return container.has(key);
  if (Array.isArray(container)) return container.some((item) => item === key);
  if (typeof container === 'string') return container.includes(key);
  return undefined;
}

/** Python truthiness of a record value (`{k: v for k, v in row.items() if v}`). */
export function pyTruthy(value: LexValue | undefined): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (value === true) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  if (value instanceof LexNumber) return value.value !== 0;
  return value.size > 0;
}

/** The integer lexeme convert.py writes for a parameter count. */
export function parametersLexeme(count: bigint): LexNumber {
  return new LexNumber(count.toString());
}
