/**
 * What counts as a change. Values are compared as parsed JSON: key order, number spelling
 * (`1` = `1.0` = `1e0`), whitespace, string escapes and line endings are not changes; array order
 * is; `null` is not a missing key; `true` is not `1`; strings compare exactly.
 */
import deepDiff from 'deep-diff';
import { compareCodePoints } from '../util/code-points.js';

export { compareCodePoints };

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!valuesEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(whole entry)' : out;
}

/**
 * The field paths that differ between two versions of one entry, e.g. `config.files[0].sha256sum`.
 * Only called on entries already known to differ: deep-diff over whole files is far too slow.
 */
export function changedFieldPaths(before: unknown, after: unknown): string[] {
  const differences = deepDiff.diff(before, after) ?? [];
  const paths = new Set<string>();
  for (const d of differences) {
    const path: (string | number)[] = [...((d.path ?? []) as (string | number)[])];
    if (d.kind === 'A') path.push(d.index);
    paths.add(formatPath(path));
  }
  return [...paths].sort(compareCodePoints);
}
