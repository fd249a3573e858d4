/**
 * A single-pass index of the members of a top-level JSON object: each member's decoded key and the
 * byte ranges of its key and value. It lets the diff compare entries one at a time (parsing only
 * the slice it needs, so memory stays bounded on 100 MB bodies) and lets the writers splice changed
 * entries without touching the bytes of any other entry.
 *
 * The scanner checks the top-level structure (braces, colons, commas, duplicate keys); each value's
 * own validity is checked when its slice is parsed (`parseMemberValue`).
 */

export interface TopLevelMember {
  /** The decoded key. */
  readonly key: string;
  /** Offset of the key's opening quote. */
  readonly keyStart: number;
  /** Offset of the first character of the value. */
  readonly valueStart: number;
  /** Offset just past the last character of the value. */
  readonly valueEnd: number;
}

export interface TopLevelIndex {
  readonly text: string;
  /** Offset of the opening `{`. */
  readonly open: number;
  /** Offset of the closing `}`. */
  readonly close: number;
  readonly members: readonly TopLevelMember[];
  /** Members by key. */
  readonly byKey: ReadonlyMap<string, TopLevelMember>;
}

/**
 * Members of a JSON object text found by key: a `TopLevelIndex`, or a cheaper view that knows
 * where its members are without listing them all (a spliced file, see `spliceDbJson`).
 */
export interface MemberLookup {
  readonly text: string;
  member(key: string): TopLevelMember | undefined;
}

export function lookupOf(index: TopLevelIndex): MemberLookup {
  return { text: index.text, member: (key) => index.byKey.get(key) };
}

/** The text is not a JSON object, or its top level is malformed. */
export class JsonShapeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonShapeError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Line and column (1-based) of an offset, for error messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function fail(text: string, offset: number, what: string): never {
  const { line, column } = lineColumn(text, offset);
  throw new JsonShapeError(`${what} at line ${line}, column ${column}`, offset);
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** Returns the offset just past the closing quote of the string starting at `start`. */
function skipString(text: string, start: number): number {
  let search = start + 1;
  for (;;) {
    const quote = text.indexOf('"', search);
    if (quote === -1) fail(text, start, 'unterminated string');
    let backslashes = 0;
    for (let k = quote - 1; k > start && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    search = quote + 1;
  }
}

/**
 * One run of a container's content up to its next brace or bracket: plain characters and whole
 * strings (escapes included). Native regex scanning is about twice as fast as a charCodeAt loop
 * over a 100 MB db.json, and strings are where most of the characters are.
 */
const CONTENT_RUN = /[^"{}[\]]*(?:"[^"\\]*(?:\\[\s\S][^"\\]*)*"[^"{}[\]]*)*/y;

/** Returns the offset just past the value starting at `start`. */
function skipValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return skipString(text, start);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let i = start;
    const length = text.length;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        depth++;
        i++;
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        i++;
        if (--depth === 0) return i;
      } else {
        CONTENT_RUN.lastIndex = i;
        CONTENT_RUN.test(text);
        const next = CONTENT_RUN.lastIndex;
        // The run stops short only at a quote it cannot close.
        if (next === i) fail(text, i, 'unterminated string');
        i = next;
      }
    }
    fail(text, start, 'unterminated object or array');
  }
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isWhitespace(code)) break;
    i++;
  }
  if (i === start) fail(text, start, 'expected a value');
  return i;
}

/** A key's decoded text; keys without escapes (all real ones) need no JSON.parse. */
function decodeKey(text: string, keyStart: number, keyEnd: number): string {
  const raw = text.slice(keyStart + 1, keyEnd - 1);
  if (raw.indexOf('\\') === -1) {
    // JSON.parse would also reject raw control characters; keep that check.
    for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) < 0x20) fail(text, keyStart, 'invalid key string');
    return raw;
  }
  try {
    return JSON.parse(text.slice(keyStart, keyEnd)) as string;
  } catch {
    fail(text, keyStart, 'invalid key string');
  }
}

/**
 * The indexes of the last few big texts, held weakly. A run indexes the same 100 MB body more than
 * once (the diff, the text writer, the post-write checks); while a caller still holds an index, the
 * next caller with the same text gets it for free. Indexes are immutable, so sharing is safe.
 */
const CACHE_MIN_LENGTH = 1 << 16;
const CACHE_SIZE = 6;
const recentIndexes: WeakRef<TopLevelIndex>[] = [];

function cachedIndex(text: string): TopLevelIndex | undefined {
  for (let i = 0; i < recentIndexes.length; i++) {
    const index = recentIndexes[i]?.deref();
    if (index === undefined) {
      recentIndexes.splice(i--, 1);
      continue;
    }
    // Equal lengths first: comparing two different 100 MB strings is the only costly case.
    if (index.text.length === text.length && index.text === text) return index;
  }
  return undefined;
}

function remember(index: TopLevelIndex): void {
  recentIndexes.unshift(new WeakRef(index));
  if (recentIndexes.length > CACHE_SIZE) recentIndexes.length = CACHE_SIZE;
}

/**
 * Indexes the members of the JSON object that makes up `text`. Throws `JsonShapeError` when the
 * text is not an object, its top level is malformed, or a key repeats.
 */
export function indexTopLevelObject(text: string): TopLevelIndex {
  if (text.length < CACHE_MIN_LENGTH) return buildIndex(text);
  const cached = cachedIndex(text);
  if (cached !== undefined) return cached;
  const index = buildIndex(text);
  remember(index);
  return index;
}

function buildIndex(text: string): TopLevelIndex {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  i = skipWhitespace(text, i);
  if (i >= text.length) fail(text, i, 'empty document (expected a JSON object)');
  if (text.charCodeAt(i) !== OPEN_BRACE) {
    const kind = text.charCodeAt(i) === OPEN_BRACKET ? 'an array' : 'not an object';
    fail(text, i, `the document is ${kind} (expected a JSON object of entries)`);
  }
  const open = i;
  const members: TopLevelMember[] = [];
  const byKey = new Map<string, TopLevelMember>();
  i = skipWhitespace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) {
    return finish(text, open, i, members, byKey);
  }
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) fail(text, i, 'expected a quoted key');
    const keyStart = i;
    const keyEnd = skipString(text, i);
    const key = decodeKey(text, keyStart, keyEnd);
    if (byKey.has(key)) fail(text, keyStart, `duplicate key ${JSON.stringify(key)}`);
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) fail(text, i, `expected ':' after key ${JSON.stringify(key)}`);
    const valueStart = skipWhitespace(text, i + 1);
    if (valueStart >= text.length) fail(text, valueStart, `missing value for key ${JSON.stringify(key)}`);
    const valueEnd = skipValue(text, valueStart);
    const member: TopLevelMember = { key, keyStart, valueStart, valueEnd };
    members.push(member);
    byKey.set(key, member);
    i = skipWhitespace(text, valueEnd);
    const next = text.charCodeAt(i);
    if (next === COMMA) {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (next === CLOSE_BRACE) return finish(text, open, i, members, byKey);
    if (i >= text.length) fail(text, i, 'the document ends before its closing "}" (truncated?)');
    fail(text, i, `expected ',' or '}' after the value of ${JSON.stringify(key)}`);
  }
}

function finish(
  text: string,
  open: number,
  close: number,
  members: TopLevelMember[],
  byKey: Map<string, TopLevelMember>,
): TopLevelIndex {
  const rest = skipWhitespace(text, close + 1);
  if (rest < text.length) fail(text, rest, 'unexpected text after the closing "}"');
  return { text, open, close, members, byKey };
}

/** The raw text of a member's value. */
export function memberValueText(index: { readonly text: string }, member: TopLevelMember): string {
  return index.text.slice(member.valueStart, member.valueEnd);
}

/** Parses one member's value; throws a `JsonShapeError` naming the key when its text is invalid. */
export function parseMemberValue(index: { readonly text: string }, member: TopLevelMember): unknown {
  try {
    return JSON.parse(memberValueText(index, member));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const { line, column } = lineColumn(index.text, member.valueStart);
    throw new JsonShapeError(
      `invalid JSON in the value of ${JSON.stringify(member.key)} (line ${line}, column ${column}): ${reason}`,
      member.valueStart,
    );
  }
}
