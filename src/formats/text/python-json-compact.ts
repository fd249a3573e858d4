/**
 * `json.dumps(value)` with Python's default (non-indented) separators `", "` and `": "`, the form
 * of the settings cells in models.csv (`{"temperature": 1.0, "top_p": 0.95}`). Numbers keep the
 * spelling Python gives them after `json.loads`, so `1.0` stays `1.0`.
 */
import { LexNumber, type LexValue } from '../json/lex-value.js';
import { pythonEncodeString, pythonNumberRepr } from '../json/python-json.js';

export function pythonDumpsCompact(value: LexValue, ensureAscii = true): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pythonEncodeString(value, ensureAscii);
  if (value instanceof LexNumber) return pythonNumberRepr(value.lexeme);
  if (Array.isArray(value)) return `[${value.map((item) => pythonDumpsCompact(item, ensureAscii)).join(', ')}]`;
  const members: string[] = [];
  for (const [key, item] of value) {
    members.push(`${pythonEncodeString(key, ensureAscii)}: ${pythonDumpsCompact(item, ensureAscii)}`);
  }
  return `{${members.join(', ')}}`;
}
