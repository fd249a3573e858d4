/**
 * Value equality as Python's `==` sees parsed JSON: object key order is ignored and numbers are
 * compared by value (`1.0 == 1`), so neither counts as a change and the file's spelling is kept.
 */
import { LexNumber, type LexValue } from './lex-value.js';

const INTEGER = /^-?\d+$/;

export function lexEqual(a: LexValue, b: LexValue): boolean {
  if (a === b) return true;
  if (a instanceof LexNumber) return b instanceof LexNumber && numbersEqual(a.lexeme, b.lexeme);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => lexEqual(item, b[i] as LexValue));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [key, value] of a) {
      const other = b.get(key);
      if (other === undefined || !lexEqual(value, other)) return false;
    }
    return true;
  }
  return false; // distinct strings, booleans or null, or a type mismatch
}

function numbersEqual(a: string, b: string): boolean {
  if (a === b) return true;
  // Integers beyond 2^53 stay exact in Python; compare them exactly too.
  if (INTEGER.test(a) && INTEGER.test(b)) return BigInt(a) === BigInt(b);
  return Number(a) === Number(b);
}
