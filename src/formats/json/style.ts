/**
 * What a repository JSON file looks like, measured from its text, so that written entries look
 * like their neighbours. `py4`/`pytab` files are exactly Python's `json.dumps(indent=4 | "\t")`
 * plus "\n" (stable_diffusion.json, codeformer.json, …); anything else is `hand` (blip, clip,
 * controlnet: irregular key indents, CRLF).
 */
import { isPythonDumpsText } from './python-check.js';
import { PY_INDENT4, PY_INDENT_TAB, type PythonDumpOptions } from './python-json.js';
import { indexTopLevelObject, type TopLevelIndex } from './top-level.js';
import { lineIndentIfOwnLine } from './lines.js';

export interface JsonStyle {
  /** `py4` / `pytab`: the whole file equals `pythonDumps(parseLex(text), …) + "\n"`. */
  readonly kind: 'py4' | 'pytab' | 'hand';
  readonly eol: '\n' | '\r\n';
  readonly finalNewline: boolean;
  /** Non-ASCII written as `\uXXXX` (Python's default; every real file is ASCII-only). */
  readonly ensureAscii: boolean;
  /** Indent of the top-level keys: the most common one (blip and controlnet have outliers). */
  readonly memberIndent: string;
  /** Indent added per nesting level inside entries. */
  readonly unit: string;
}

/** How many entries are sampled to find a hand-formatted file's nested indent unit. */
const UNIT_SAMPLE = 64;

export function detectJsonStyle(text: string, index?: TopLevelIndex): JsonStyle {
  const eol = detectEol(text);
  const finalNewline = text.endsWith('\n');
  // Python with ensure_ascii=True escapes everything from U+007F up; with no such raw character
  // the file is consistent with the default (and every real file is ASCII-only).
  const ensureAscii = !/[\x7f-\uffff]/.test(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  for (const [kind, indent] of [
    ['py4', PY_INDENT4.indent],
    ['pytab', PY_INDENT_TAB.indent],
  ] as const) {
    const options: PythonDumpOptions = { indent, ensureAscii };
    if (isPythonDumpsText(text, options)) {
      return { kind, eol, finalNewline, ensureAscii, memberIndent: indent, unit: indent };
    }
  }
  const top = index ?? indexTopLevelObject(text);
  const unit = detectUnit(top);
  return { kind: 'hand', eol, finalNewline, ensureAscii, memberIndent: detectMemberIndent(top, unit), unit };
}

/** The Python serializer options that render values for a file of this style. */
export function dumpOptions(style: JsonStyle): PythonDumpOptions {
  return { indent: style.unit, ensureAscii: style.ensureAscii };
}

function detectEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 0x0d) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * The indent of the first nested line of sampled entries is two units deep (`\t\t` in clip and
 * controlnet, 4 spaces in blip), whatever the entry's own key line uses.
 */
function detectUnit(index: TopLevelIndex): string {
  const counts = new Map<string, number>();
  const { text } = index;
  for (const member of index.members.slice(0, UNIT_SAMPLE)) {
    const open = text.charCodeAt(member.valueStart);
    if (open !== 0x7b && open !== 0x5b) continue;
    const lineBreak = text.indexOf('\n', member.valueStart);
    if (lineBreak === -1 || lineBreak >= member.valueEnd) continue;
    let end = lineBreak + 1;
    while (end < member.valueEnd && (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09)) end++;
    const indent = text.slice(lineBreak + 1, end);
    if (indent) counts.set(indent, (counts.get(indent) ?? 0) + 1);
  }
  const nested = mostCommon(counts, () => false);
  if (nested === undefined) return PY_INDENT4.indent;
  const half = nested.slice(0, nested.length / 2);
  return nested.length % 2 === 0 && half + half === nested ? half : nested;
}

/** The most common indent of top-level keys that start their own line; ties go to `unit`. */
function detectMemberIndent(index: TopLevelIndex, unit: string): string {
  const counts = new Map<string, number>();
  for (const member of index.members) {
    const indent = lineIndentIfOwnLine(index.text, member.keyStart);
    if (indent !== undefined) counts.set(indent, (counts.get(indent) ?? 0) + 1);
  }
  return mostCommon(counts, (candidate) => candidate === unit) ?? unit;
}

function mostCommon(counts: ReadonlyMap<string, number>, preferred: (candidate: string) => boolean): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [candidate, count] of counts) {
    if (count > bestCount || (count === bestCount && preferred(candidate))) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
