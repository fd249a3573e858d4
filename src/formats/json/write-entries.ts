/**
 * Writes PRIMARY's changed entries into a repository JSON file, touching only their lines: the
 * diff a careful person would write. Unchanged entries keep their bytes and their place (PRIMARY's
 * top-level order is not a change), removed entries go with their separator, added entries are
 * placed next to their PRIMARY neighbour and rendered like the file's other entries.
 *
 * Modified entries: in py4/pytab files PRIMARY's value is re-rendered with `pythonDumps` after
 * restoring the file's key order (exact, as the file is that serializer's output); in
 * hand-formatted files it is edited in place, member by member (`editValueInPlace`).
 *
 * Cost: the two top-level indexes (passed in when the caller has them) plus one pass over the
 * member list, plus parsing only the changed entries; no whole-text scans per entry.
 */
import { editValueInPlace } from './edit-in-place.js';
import { parseLex } from './lex-value.js';
import { spliceList, type ListAnchor, type ListInsert, type ListItem } from './list-splice.js';
import { placeNewKeys } from './placement.js';
import { reconcileValue } from './reconcile.js';
import { renderMember, renderValue, type RenderStyle } from './render.js';
import { detectJsonStyle, type JsonStyle } from './style.js';
import { applyTextEdits, type TextEdit } from './text-edits.js';
import { indexTopLevelObject, memberValueText, type TopLevelIndex, type TopLevelMember } from './top-level.js';
import { entryEquals } from './verify.js';

/** Top-level keys that PRIMARY added, removed or changed relative to the file. */
export interface EntryChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly modified: readonly string[];
}

/** What the caller already computed: the indexes of both texts and the file's style. */
export interface WriteJsonInputs {
  readonly current?: TopLevelIndex;
  readonly target?: TopLevelIndex;
  readonly style?: JsonStyle;
}

/** `changes` do not fit the two texts (a key listed as added that the file already has, …). */
export class EntryChangesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`entry changes do not match the texts: ${problems.join('; ')}`);
    this.name = 'EntryChangesError';
  }
}

/** The written text failed the writer's own post-condition (a bug: nothing should be written). */
export class JsonWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonWriteError';
  }
}

export function writeJsonEntries(
  currentText: string,
  targetText: string,
  changes: EntryChanges,
  indexes?: WriteJsonInputs,
): string {
  if (changes.added.length + changes.removed.length + changes.modified.length === 0) return currentText;
  const current = indexFor(currentText, indexes?.current, 'current');
  const target = indexFor(targetText, indexes?.target, 'target');
  checkChanges(current, target, changes);
  const style = indexes?.style ?? detectJsonStyle(currentText, current);
  const render: RenderStyle = { unit: style.unit, ensureAscii: style.ensureAscii, eol: style.eol };

  const edits: TextEdit[] = [];
  const add = (more: readonly TextEdit[]): void => {
    for (const edit of more) edits.push(edit); // not push(...more): it can overflow the stack
  };
  for (const key of changes.modified) add(modifyEntry(current, target, key, style, render));
  add(spliceEntries(current, target, changes, style, render));
  const written = applyTextEdits(currentText, edits);
  selfCheck(written, target, changes, current.members.length);
  return written;
}

function indexFor(text: string, given: TopLevelIndex | undefined, name: string): TopLevelIndex {
  if (given === undefined) return indexTopLevelObject(text);
  if (given.text !== text) throw new TypeError(`the ${name} index was built from another text`);
  return given;
}

function checkChanges(current: TopLevelIndex, target: TopLevelIndex, changes: EntryChanges): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  const check = (list: readonly string[], kind: string, inCurrent: boolean, inTarget: boolean): void => {
    for (const key of list) {
      if (seen.has(key)) problems.push(`${JSON.stringify(key)} is listed twice`);
      seen.add(key);
      if (current.byKey.has(key) !== inCurrent || target.byKey.has(key) !== inTarget) {
        const where = `${current.byKey.has(key) ? 'in' : 'not in'} the file, ${target.byKey.has(key) ? 'in' : 'not in'} PRIMARY`;
        problems.push(`${kind} ${JSON.stringify(key)} is ${where}`);
      }
    }
  };
  check(changes.added, 'added', false, true);
  check(changes.removed, 'removed', true, false);
  check(changes.modified, 'modified', true, true);
  if (problems.length > 0) throw new EntryChangesError(problems);
}

function modifyEntry(
  current: TopLevelIndex,
  target: TopLevelIndex,
  key: string,
  style: JsonStyle,
  render: RenderStyle,
): TextEdit[] {
  const member = current.byKey.get(key) as TopLevelMember;
  const wanted = parseLex(memberValueText(target, target.byKey.get(key) as TopLevelMember));
  if (style.kind === 'hand') {
    return editValueInPlace({ text: current.text, start: member.valueStart, end: member.valueEnd, level: 1 }, wanted, render);
  }
  const old = memberValueText(current, member);
  const rendered = renderValue(reconcileValue(parseLex(old), wanted), 1, render);
  return rendered === old ? [] : [{ offset: member.valueStart, length: old.length, content: rendered }];
}

/** Removes and inserts top-level entries; one pass over the file's members. */
function spliceEntries(
  current: TopLevelIndex,
  target: TopLevelIndex,
  changes: EntryChanges,
  style: JsonStyle,
  render: RenderStyle,
): TextEdit[] {
  if (changes.added.length === 0 && changes.removed.length === 0) return [];
  const removedKeys = new Set(changes.removed);
  const addedKeys = new Set(changes.added);
  const items: ListItem[] = [];
  const removed = new Set<number>();
  const position = new Map<string, number>();
  current.members.forEach((member, i) => {
    items.push({ start: member.keyStart, end: member.valueEnd });
    position.set(member.key, i);
    if (removedKeys.has(member.key)) removed.add(i);
  });
  const placed = placeNewKeys(
    target.members.map((member) => member.key),
    (key) => addedKeys.has(key),
    (key) => position.has(key) && !removedKeys.has(key),
  );
  const inserts = placed.map(({ key, placement }): ListInsert => {
    const anchor: ListAnchor =
      'after' in placement
        ? { after: position.get(placement.after) as number }
        : 'before' in placement
          ? { before: position.get(placement.before) as number }
          : { atEnd: true };
    const value = parseLex(memberValueText(target, target.byKey.get(key) as TopLevelMember));
    return { anchor, text: renderMember(key, value, 1, render) };
  });
  return spliceList({
    text: current.text,
    open: current.open,
    close: current.close,
    items,
    removed,
    inserts,
    eol: style.eol,
    itemIndent: style.memberIndent,
    defaultIndent: style.memberIndent,
  });
}

/**
 * Cheap post-condition (one index of the output plus the changed entries): the changed keys hold
 * PRIMARY's values, the removed ones are gone, and the entry count adds up. The entries that were
 * not touched are byte-identical by construction.
 */
function selfCheck(written: string, target: TopLevelIndex, changes: EntryChanges, currentCount: number): void {
  const index = indexTopLevelObject(written);
  const problems: string[] = [];
  const expected = currentCount - changes.removed.length + changes.added.length;
  if (index.members.length !== expected) problems.push(`${index.members.length} entries instead of ${expected}`);
  for (const key of [...changes.added, ...changes.modified]) {
    if (!entryEquals(index, target, key)) problems.push(`${JSON.stringify(key)} differs from PRIMARY`);
  }
  for (const key of changes.removed) {
    if (index.byKey.has(key)) problems.push(`${JSON.stringify(key)} was not removed`);
  }
  if (problems.length > 0) {
    throw new JsonWriteError(`internal error, nothing written: ${problems.slice(0, 5).join('; ')}`);
  }
}
