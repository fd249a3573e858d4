/**
 * An exact, streaming test of "this text is what Python's `json.dumps(value, indent=…)` + "\n"
 * writes for the value it parses to", without building the value: one pass that walks the text
 * and compares every byte with what the serializer would have put there. It agrees with
 * `pythonDumps(parseLex(text), options) + '\n' === text` (the test suite checks that), but on a
 * 22 MB file it needs no tree and no second 22 MB string.
 */
import { pythonEncodeString, pythonNumberRepr, type PythonDumpOptions } from './python-json.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER = /^-?\d+$/;
const PLAIN_RUN = /[^"\\\x00-\x1f\x7f-\uffff]*/y;

/** True when `text` is byte for byte `json.dumps(json.loads(text), indent=…, ensure_ascii=…) + "\n"`. */
export function isPythonDumpsText(text: string, options: PythonDumpOptions): boolean {
  const checker = new Checker(text, options);
  if (!checker.value(0)) return false;
  // json.dumps writes no trailing newline; the repositories' files add exactly one.
  return checker.pos === text.length - 1 && text.charCodeAt(checker.pos) === 0x0a;
}

class Checker {
  pos = 0;
  private readonly breaks: string[] = [];

  constructor(
    private readonly text: string,
    private readonly options: PythonDumpOptions,
  ) {}

  /** '\n' plus the indent of `level`, cached: it is compared at every line. */
  private lineBreak(level: number): string {
    let found = this.breaks[level];
    if (found === undefined) {
      found = '\n' + this.options.indent.repeat(level);
      this.breaks[level] = found;
    }
    return found;
  }

  private expect(literal: string): boolean {
    if (!this.text.startsWith(literal, this.pos)) return false;
    this.pos += literal.length;
    return true;
  }

  value(level: number): boolean {
    const code = this.text.charCodeAt(this.pos);
    if (code === QUOTE) return this.string();
    if (code === 0x7b) return this.container(level, '}', true);
    if (code === 0x5b) return this.container(level, ']', false);
    if (code === 0x74) return this.expect('true');
    if (code === 0x66) return this.expect('false');
    if (code === 0x6e) return this.expect('null');
    return this.number();
  }

  private container(level: number, close: string, isObject: boolean): boolean {
    this.pos++;
    if (this.expect(close)) return true; // Python writes empty containers as `{}` / `[]`.
    const inner = this.lineBreak(level + 1);
    // Python's dict keeps one value per key; a duplicate would not survive the round trip.
    const keys = isObject ? new Set<string>() : undefined;
    for (let first = true; ; first = false) {
      if (!first && !this.expect(',')) break;
      if (!this.expect(inner)) return false;
      if (keys) {
        const keyStart = this.pos;
        if (this.text.charCodeAt(keyStart) !== QUOTE || !this.string()) return false;
        const key = this.text.slice(keyStart, this.pos);
        if (keys.has(key)) return false;
        keys.add(key);
        if (!this.expect(': ')) return false;
      }
      if (!this.value(level + 1)) return false;
    }
    return this.expect(this.lineBreak(level) + close);
  }

  private string(): boolean {
    const { text } = this;
    const start = this.pos;
    let escaped = false;
    let i = start + 1;
    for (;;) {
      // Printable ASCII other than quote and backslash, in one native scan: most of every string.
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.test(text);
      i = PLAIN_RUN.lastIndex;
      if (i >= text.length) return false;
      const code = text.charCodeAt(i);
      if (code === QUOTE) break;
      if (code === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      if (code < 0x20) return false; // raw control characters are never written
      if (code > 0x7e && this.options.ensureAscii) return false;
      i++;
    }
    this.pos = i + 1;
    if (!escaped) return true;
    // Rare path: an escape must be spelled exactly as Python spells it (`\u00e9`, not `\u00E9`).
    const token = text.slice(start, this.pos);
    let decoded: unknown;
    try {
      decoded = JSON.parse(token);
    } catch {
      return false;
    }
    return typeof decoded === 'string' && pythonEncodeString(decoded, this.options.ensureAscii) === token;
  }

  private number(): boolean {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return false;
    const lexeme = match[0];
    this.pos += lexeme.length;
    if (INTEGER.test(lexeme)) return lexeme !== '-0';
    return pythonNumberRepr(lexeme) === lexeme;
  }
}
