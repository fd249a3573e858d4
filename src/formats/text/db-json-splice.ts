/**
 * db.json after a row-level edit of models.csv without rendering all of it again. The repository's
 * CI keeps db.json equal to convert.py's output of models.csv (every first-parent version since
 * 2024-04), so a key whose rows the edit does not touch keeps its bytes: only the keys of changed
 * models are rendered, everything else is copied from the old file in runs. At 100x scale db.json
 * is ~115 MB; rendering it from 216k records cost seconds and most of the writer's memory.
 *
 * The copy is only trusted when the old file has convert.py's layout for the current models.csv:
 * the same keys in the same order, with json.dumps' indent=4 framing between them
 * (`dbJsonLayoutMatches`). Otherwise the writer renders the whole file as before.
 */
import { type LexObject } from '../json/lex-value.js';
import { PY_INDENT4, pythonDumps, pythonEncodeString } from '../json/python-json.js';
import { type MemberLookup, type TopLevelIndex, type TopLevelMember } from '../json/top-level.js';
import { type ParsedModelsCsv } from './convert.js';
import { dbKeysOf } from './row-fields.js';

/** The file's opening, the text between two members, and its end, as json.dumps(indent=4) + "\n". */
const OPENING = '{\n    ';
const BETWEEN = ',\n    ';
const CLOSING = '\n}\n';

/** The rows of a models.csv matched with the members of the db.json convert.py made of it. */
export interface DbJsonRows {
  /**
   * Row index → the three keys the row writes, as the strings of db.json's index (hashed once as
   * its Map keys, which matters for the ~216k keys of a 100x file); undefined for other rows.
   */
  readonly keysOfRow: readonly (readonly string[] | undefined)[];
  /** Row index → bit i set when the row is the first to write `keysOfRow[row][i]` (its place). */
  readonly firstOfRow: Uint8Array;
}

/**
 * Whether db.json is what convert.py writes for these rows, as far as its layout goes: exactly the
 * rows' keys, each at its first row's place, framed as json.dumps(indent=4) frames them. Undefined
 * when not (or when a model row has no name, which convert.py fails on). One pass over the rows
 * and members, comparing in place: a key new at a row must be db.json's next member, a repeated
 * one must be a member already passed.
 */
export function matchDbJsonRows(parsed: ParsedModelsCsv, index: TopLevelIndex): DbJsonRows | undefined {
  if (!framedAsConvertPy(index)) return undefined;
  const { members, byKey } = index;
  const keysOfRow = new Array<readonly string[] | undefined>(parsed.rows.length);
  const firstOfRow = new Uint8Array(parsed.rows.length);
  let next = 0;
  for (const { rowIndex, name } of parsed.modelRows) {
    if (typeof name !== 'string') return undefined;
    const keys = dbKeysOf(name);
    let first = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const expected = members[next];
      if (expected !== undefined && expected.key === key) {
        keys[i] = expected.key;
        first |= 1 << i;
        next++;
        continue;
      }
      const seen = byKey.get(key);
      if (seen === undefined || (expected !== undefined && seen.keyStart >= expected.keyStart)) return undefined;
      keys[i] = seen.key;
    }
    keysOfRow[rowIndex] = keys;
    firstOfRow[rowIndex] = first;
  }
  return next === members.length ? { keysOfRow, firstOfRow } : undefined;
}

/** The text around and between members is exactly json.dumps(indent=4)'s, plus the final newline. */
function framedAsConvertPy(index: TopLevelIndex): boolean {
  const { text, members } = index;
  if (members.length === 0) return text === '{}\n';
  const first = members[0] as TopLevelMember;
  const last = members[members.length - 1] as TopLevelMember;
  if (first.keyStart !== OPENING.length || !text.startsWith(OPENING)) return false;
  if (last.valueEnd + CLOSING.length !== text.length || !text.endsWith(CLOSING)) return false;
  for (let m = 1; m < members.length; m++) {
    const previousEnd = (members[m - 1] as TopLevelMember).valueEnd;
    if ((members[m] as TopLevelMember).keyStart !== previousEnd + BETWEEN.length || !text.startsWith(BETWEEN, previousEnd)) {
      return false;
    }
  }
  return true;
}

/** A db.json member rendered anew: its text and where its value starts in it. */
export interface RenderedMember {
  readonly text: string;
  readonly valueStart: number;
}

/**
 * One db.json member as convert.py writes it: `"key": {record at indent level 1}`. As a one-byte
 * string: it is pure ASCII (ensure_ascii JSON), but built from a models.csv cell with any non-ASCII
 * character it would be a two-byte string in V8, and joining it would make the whole ~115 MB file
 * two-byte (twice the memory).
 */
export function renderDbJsonMember(key: string, record: LexObject): RenderedMember {
  const head = `${pythonEncodeString(key, true)}: `;
  const text = Buffer.from(head + pythonDumps(record, PY_INDENT4, 1), 'latin1').toString('latin1');
  return { text, valueStart: head.length };
}

/**
 * The new db.json and where its members are: `order` is every key of the edited models.csv in
 * convert.py's order; keys in `rendered` get the given member, every other key is copied from
 * `old` (whose layout `dbJsonLayoutMatches` has accepted), adjacent members as one slice. The
 * lookup finds the same members a scan of the new text would (`indexTopLevelObject`) from the
 * copied runs' offsets, without building ~216k member records for a 100x file.
 */
export function spliceDbJson(
  old: TopLevelIndex,
  order: Iterable<string>,
  rendered: ReadonlyMap<string, RenderedMember>,
): { text: string; members: MemberLookup } {
  const parts: string[] = [];
  /** Copied runs: old offsets [oldStart, oldEnd) now at newStart, in file order. */
  const runs: { oldStart: number; oldEnd: number; newStart: number }[] = [];
  const placed = new Map<string, TopLevelMember>();
  // Where the next part starts in the new text.
  let offset = OPENING.length;
  let runStart = -1;
  let runEnd = -1;
  const closeRun = () => {
    if (runStart < 0) return;
    // Kept keys keep their relative order (their first rows are kept rows, in the same order), so
    // the runs come in old-file order; the lookup below relies on it.
    if (runStart < (runs[runs.length - 1]?.oldEnd ?? 0)) throw new Error('db.json members to keep are out of their old order');
    runs.push({ oldStart: runStart, oldEnd: runEnd, newStart: offset });
    parts.push(old.text.slice(runStart, runEnd));
    offset += runEnd - runStart + BETWEEN.length;
    runStart = -1;
  };
  for (const key of order) {
    const member = rendered.get(key);
    if (member !== undefined) {
      closeRun();
      placed.set(key, { key, keyStart: offset, valueStart: offset + member.valueStart, valueEnd: offset + member.text.length });
      parts.push(member.text);
      offset += member.text.length + BETWEEN.length;
      continue;
    }
    const kept = old.byKey.get(key);
    if (kept === undefined) throw new Error(`db.json has no member ${JSON.stringify(key)} to keep`);
    // Adjacent in the old file: the same run, separator included.
    if (runStart >= 0 && kept.keyStart === runEnd + BETWEEN.length) {
      runEnd = kept.valueEnd;
      continue;
    }
    closeRun();
    runStart = kept.keyStart;
    runEnd = kept.valueEnd;
  }
  closeRun();
  // One join, framing and separators included: a template around the joined parts would be a
  // rope, and its first slice would copy all ~115 MB of it once more.
  let text = '{}\n';
  if (parts.length > 0) {
    const pieces = [OPENING];
    parts.forEach((part, i) => {
      if (i > 0) pieces.push(BETWEEN);
      pieces.push(part);
    });
    pieces.push(CLOSING);
    text = pieces.join('');
  }
  const member = (key: string): TopLevelMember | undefined => {
    const own = placed.get(key);
    if (own !== undefined) return own;
    const kept = old.byKey.get(key);
    if (kept === undefined) return undefined;
    // The run that holds it, if it was copied.
    let low = 0;
    let high = runs.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const run = runs[middle] as (typeof runs)[number];
      if (kept.valueEnd <= run.oldStart) high = middle - 1;
      else if (kept.keyStart >= run.oldEnd) low = middle + 1;
      else {
        const shift = run.newStart - run.oldStart;
        return { key, keyStart: kept.keyStart + shift, valueStart: kept.valueStart + shift, valueEnd: kept.valueEnd + shift };
      }
    }
    return undefined;
  };
  return { text, members: { text, member } };
}
