/**
 * Byte-exact emulation of Python's `json.dumps(obj, indent=…)` (CPython 3, default separators,
 * `ensure_ascii` selectable), the serializer that wrote stable_diffusion.json, db.json and the
 * tab-indented image files. Numbers are rendered as Python would after `json.loads`: integers
 * verbatim, floats through `repr(float)`, so `1.0` stays `1.0` and `1e2` becomes `100.0`.
 */
import { LexNumber, type LexValue } from './lex-value.js';

export interface PythonDumpOptions {
  /** The indent unit: `'    '` for `indent=4`, `'\t'` for `indent="\t"`. */
  readonly indent: string;
  /** Python's default is true: every non-ASCII character becomes a `\uXXXX` escape. */
  readonly ensureAscii: boolean;
}

export const PY_INDENT4: PythonDumpOptions = { indent: '    ', ensureAscii: true };
export const PY_INDENT_TAB: PythonDumpOptions = { indent: '\t', ensureAscii: true };

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function hex4(code: number): string {
  return '\\u' + code.toString(16).padStart(4, '0');
}

function escapeChar(ch: string): string {
  const short = SHORT_ESCAPES[ch];
  if (short !== undefined) return short;
  // JS strings are UTF-16 already, so astral characters come out as surrogate pairs, as in Python.
  return hex4(ch.charCodeAt(0));
}

// ensure_ascii escapes everything outside ' '..'~'; otherwise only quotes, backslash and controls.
// Compiled once; the non-global twins only test, so the common string (nothing to escape) is
// returned after one native scan and no replace.
const ASCII_ESCAPED = /[\\"]|[^\x20-\x7e]/g;
const ASCII_NEEDS_ESCAPE = /[\\"]|[^\x20-\x7e]/;
const RAW_ESCAPED = /[\\"\x00-\x1f]/g;
const RAW_NEEDS_ESCAPE = /[\\"\x00-\x1f]/;

/** Python's `json.encoder.py_encode_basestring(_ascii)`. */
export function pythonEncodeString(value: string, ensureAscii: boolean): string {
  if (ensureAscii) {
    return ASCII_NEEDS_ESCAPE.test(value) ? '"' + value.replace(ASCII_ESCAPED, escapeChar) + '"' : '"' + value + '"';
  }
  return RAW_NEEDS_ESCAPE.test(value) ? '"' + value.replace(RAW_ESCAPED, escapeChar) + '"' : '"' + value + '"';
}

/** Python's `repr(float(x))` ('r' format, short repr). */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', expPart = '0'] = x.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const exponent = Number(expPart);
  const sign = negative ? '-' : '';
  // CPython switches to scientific notation when the decimal exponent is < -4 or >= 16.
  if (exponent < -4 || exponent >= 16) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${frac}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intLen = exponent + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

const INTEGER = /^-?\d+$/;
const CANONICAL_INTEGER = /^-?[1-9]\d*$|^0$/;

/** How Python re-serializes a JSON number lexeme after `json.loads`. */
export function pythonNumberRepr(lexeme: string): string {
  if (CANONICAL_INTEGER.test(lexeme)) return lexeme;
  if (INTEGER.test(lexeme)) return lexeme === '-0' ? '0' : lexeme.replace(/^(-?)0+(?=\d)/, '$1');
  return pythonFloatRepr(Number(lexeme));
}

/** '\n' plus the indent of each level, per indent unit: built once, used on every line. */
const lineBreaks = new Map<string, string[]>();

function lineBreak(indent: string, level: number): string {
  let breaks = lineBreaks.get(indent);
  if (breaks === undefined) {
    breaks = [];
    lineBreaks.set(indent, breaks);
  }
  let found = breaks[level];
  if (found === undefined) {
    found = '\n' + indent.repeat(level);
    breaks[level] = found;
  }
  return found;
}

/**
 * `json.dumps(value, indent=options.indent, ensure_ascii=options.ensureAscii)` for a value that
 * sits at nesting `level` (the returned text's continuation lines are indented for that level).
 */
export function pythonDumps(value: LexValue, options: PythonDumpOptions, level = 0): string {
  const parts: string[] = [];
  write(value, options, level, parts);
  return parts.join('');
}

function write(value: LexValue, options: PythonDumpOptions, level: number, out: string[]): void {
  if (typeof value === 'string') {
    out.push(pythonEncodeString(value, options.ensureAscii));
  } else if (value instanceof LexNumber) {
    out.push(pythonNumberRepr(value.lexeme));
  } else if (value === null) {
    out.push('null');
  } else if (value === true) {
    out.push('true');
  } else if (value === false) {
    out.push('false');
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    const inner = lineBreak(options.indent, level + 1);
    const separator = ',' + inner;
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      out.push(i === 0 ? inner : separator);
      write(value[i] as LexValue, options, level + 1, out);
    }
    out.push(lineBreak(options.indent, level) + ']');
  } else {
    if (value.size === 0) {
      out.push('{}');
      return;
    }
    const inner = lineBreak(options.indent, level + 1);
    const separator = ',' + inner;
    out.push('{');
    let first = true;
    for (const [key, item] of value) {
      out.push(first ? inner : separator, pythonEncodeString(key, options.ensureAscii), ': ');
      first = false;
      write(item, options, level + 1, out);
    }
    out.push(lineBreak(options.indent, level) + '}');
  }
}
