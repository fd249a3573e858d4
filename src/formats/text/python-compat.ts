/**
 * The few CPython built-ins convert.py leans on, reproduced exactly: `str.strip()`, `float(str)`,
 * `round(x, 0)`, `f"{x:.0f}"` and `sorted()` on strings. JavaScript's nearest equivalents differ
 * at the edges (`trim()` strips U+FEFF but not U+0085, `Number()` accepts `0x10` and `""`,
 * `Math.round` rounds half up, `sort()` compares UTF-16 units), and any such difference would make
 * the port's db.json differ from the one CI checks.
 */

/** Python's `str.isspace()` set (Unicode White_Space minus U+180E, plus U+001C..U+001F). */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'gu');

/** `s.strip()` with no argument. */
export function pyStrip(value: string): string {
  return value.replace(PY_STRIP, '');
}

const DIGITS = String.raw`[0-9](?:_?[0-9])*`;
/** The grammar `float()` accepts after stripping: Python float literals, underscores included. */
const PY_FLOAT_LITERAL = new RegExp(
  String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`,
);
const PY_FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * `float(s)` for a string: the double Python returns, or `undefined` where Python raises
 * `ValueError`. Like CPython, any Unicode decimal digit counts as its ASCII digit and surrounding
 * whitespace is ignored.
 */
export function pyFloat(text: string): number | undefined {
  const ascii = pyStrip(text.replace(/\p{Nd}/gu, asciiDigit));
  const special = PY_FLOAT_SPECIAL.exec(ascii);
  if (special) {
    const magnitude = special[2]?.toLowerCase() === 'nan' ? Number.NaN : Number.POSITIVE_INFINITY;
    return special[1] === '-' ? -magnitude : magnitude;
  }
  if (!PY_FLOAT_LITERAL.test(ascii)) return undefined;
  // Both languages round decimal strings to the nearest double, so Number() agrees once the
  // Python-only syntax (underscores) is gone.
  return Number(ascii.replaceAll('_', ''));
}

/**
 * The ASCII digit of a Unicode decimal digit. Unicode assigns decimal digits only in contiguous
 * runs of ten, 0 to 9, so the value is the distance from the start of the run, modulo ten.
 */
function asciiDigit(digit: string): string {
  let codePoint = digit.codePointAt(0) ?? 0x30;
  if (codePoint >= 0x30 && codePoint <= 0x39) return digit;
  let offset = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(codePoint - 1))) {
    codePoint--;
    offset++;
  }
  return String(offset % 10);
}

/** `round(x, 0)`: round half to even on the exact double, keeping the sign of zero. */
export function pyRound0(x: number): number {
  if (!Number.isFinite(x)) return x;
  const magnitude = Math.abs(x);
  const floor = Math.floor(magnitude);
  // Exact: floor and magnitude share an exponent (or floor is 0), so the difference is representable.
  const fraction = magnitude - floor;
  let rounded = floor;
  if (fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1)) rounded = floor + 1;
  return x < 0 || Object.is(x, -0) ? -rounded : rounded;
}

/** `f"{x:.0f}"` for a double that is already integral (or ±inf/nan). */
export function pyFormatFixed0(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // BigInt renders every digit of a large double, as Python's '%.0f' does (toFixed switches to
  // exponent notation at 1e21).
  return BigInt(Math.round(x)).toString();
}

/** `int(x)` for a double: truncation toward zero, exact at any magnitude. */
export function pyIntOfFloat(x: number): bigint | undefined {
  if (!Number.isFinite(x)) return undefined;
  return BigInt(Math.trunc(x));
}

/** Python's string ordering: by code point, not by UTF-16 unit. */
export { compareCodePoints } from '../../util/code-points.js';
