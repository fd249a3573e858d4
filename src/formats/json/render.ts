/**
 * Renders values taken from PRIMARY in the file's own conventions: Python's `json.dumps` layout
 * with the file's indent unit, its `ensure_ascii` choice and its line ending. Numbers keep Python's
 * spelling (`1.0` stays `1.0`), strings are re-escaped the Python way (`\u00e9`).
 */
import type { LexValue } from './lex-value.js';
import { pythonDumps, pythonEncodeString } from './python-json.js';

export interface RenderStyle {
  /** Indent per nesting level. */
  readonly unit: string;
  readonly ensureAscii: boolean;
  readonly eol: string;
}

/** A value whose own line is at nesting `level` (continuation lines one level deeper). */
export function renderValue(value: LexValue, level: number, style: RenderStyle): string {
  const text = pythonDumps(value, { indent: style.unit, ensureAscii: style.ensureAscii }, level);
  // pythonDumps escapes newlines inside strings, so every raw '\n' is a line break.
  return style.eol === '\n' ? text : text.replaceAll('\n', style.eol);
}

/** `"key": value` for an object member whose value sits at nesting `level`. */
export function renderMember(key: string, value: LexValue, level: number, style: RenderStyle): string {
  return pythonEncodeString(key, style.ensureAscii) + ': ' + renderValue(value, level, style);
}
