/**
 * Value equality of parsed JSON as Python's `==` sees `json.loads` results: key order does not
 * matter, and numbers compare by value (`1.0 == 1`, `100 == 1e2`). This is what "PRIMARY's record
 * equals the written one" means; spelling differences are not changes.
 */
import { LexNumber, type LexObject, type LexValue } from '../json/lex-value.js';

const INTEGER = /^-?\d+$/;

function numbersEqual(a: LexNumber, b: LexNumber): boolean {
  // Integers compare exactly at any size; anything else compares as doubles, as Python's
  // int/float comparison does for the magnitudes that occur here.
  if (INTEGER.test(a.lexeme) && INTEGER.test(b.lexeme)) return BigInt(a.lexeme) === BigInt(b.lexeme);
  // NaN is a value json.loads accepts; a NaN setting is the same setting on both sides.
  return a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value));
}

export function lexEqual(a: LexValue | undefined, b: LexValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (a instanceof LexNumber) return b instanceof LexNumber && numbersEqual(a, b);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => lexEqual(item, b[i]));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [key, value] of a) {
      if (!b.has(key) || !lexEqual(value, b.get(key))) return false;
    }
    return true;
  }
  return false;
}

/** The fields whose values differ between two records (missing on one side counts), in a's order then b's. */
export function differingFields(a: LexObject, b: LexObject): string[] {
  const fields: string[] = [];
  for (const [key, value] of a) if (!lexEqual(value, b.get(key)) || !b.has(key)) fields.push(key);
  for (const key of b.keys()) if (!a.has(key)) fields.push(key);
  return fields;
}
