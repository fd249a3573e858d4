/**
 * `json.loads` as CPython's decoder accepts it (strict mode), producing the lexeme-keeping
 * `LexValue`. convert.py parses each settings cell, defaults.json and generation_params.json this
 * way, and a port has to accept and reject the same texts: Python takes `NaN`, `Infinity` and
 * `-Infinity`, keeps the last of duplicate keys at the first key's position, and rejects raw
 * control characters inside strings.
 */
import { LexNumber, type LexObject, type LexValue } from '../json/lex-value.js';

/** The text is not JSON that `json.loads` accepts (Python's `JSONDecodeError`). */
export class PythonJsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message}: char ${offset}`);
    this.name = 'PythonJsonError';
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function pythonJsonLoads(text: string): LexValue {
  if (text.startsWith('\ufeff')) throw new PythonJsonError('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  const parser = new Parser(text);
  const value = parser.document();
  return value;
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): LexValue {
    this.skipWhitespace();
    const value = this.value();
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail('Extra data');
    return value;
  }

  private fail(message: string, at = this.pos): never {
    throw new PythonJsonError(message, at);
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private value(): LexValue {
    const text = this.text;
    const ch = text[this.pos];
    if (ch === '"') return this.string();
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    for (const [word, value] of [
      ['null', null],
      ['true', true],
      ['false', false],
    ] as const) {
      if (text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    // Python's scanner tries NaN / Infinity / -Infinity as constants (float('nan') etc.).
    for (const word of ['NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return new LexNumber(word);
      }
    }
    const start = this.pos;
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(text);
    if (match) {
      this.pos = NUMBER.lastIndex;
      // CPython refuses to convert integers longer than sys.int_info.default_max_str_digits.
      if (match[1] === undefined && match[2] === undefined && match[0].replace('-', '').length > 4300) {
        this.fail('Exceeds the limit (4300 digits) for integer string conversion', start);
      }
      return new LexNumber(match[0]);
    }
    this.fail('Expecting value');
  }

  private object(): LexObject {
    const map: LexObject = new Map();
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return map;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('Expecting property name enclosed in double quotes');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail("Expecting ':' delimiter");
      this.pos++;
      this.skipWhitespace();
      // A dict keeps a repeated key at its first position with the last value; so does a Map.
      map.set(key, this.value());
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return map;
      if (next !== ',') this.fail("Expecting ',' delimiter", this.pos - 1);
      this.skipWhitespace();
    }
  }

  private array(): LexValue[] {
    const items: LexValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') return items;
      if (next !== ',') this.fail("Expecting ',' delimiter", this.pos - 1);
      this.skipWhitespace();
    }
  }

  private string(): string {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let out = '';
    for (;;) {
      if (i >= text.length) this.fail('Unterminated string starting at', start);
      const code = text.charCodeAt(i);
      if (code === 0x22) break;
      if (code < 0x20) this.fail('Invalid control character at', i);
      if (code !== 0x5c) {
        out += text[i];
        i++;
        continue;
      }
      const escape = text[i + 1];
      if (escape === undefined) this.fail('Unterminated string starting at', start);
      if (escape !== 'u') {
        const decoded = ESCAPES[escape];
        if (decoded === undefined) this.fail('Invalid \\escape', i);
        out += decoded;
        i += 2;
        continue;
      }
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', i + 1);
      // A high surrogate followed by an escaped low surrogate joins into one character; any other
      // surrogate stays a lone code unit, as in Python. JS strings hold both the same way.
      out += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    }
    this.pos = i + 1;
    return out;
  }
}
