/**
 * Entry-level comparison of a repository file with PRIMARY's body. Both sides are indexed once;
 * each entry is parsed on its own and dropped, so memory stays near the size of the two texts.
 */
import { indexTopLevelObject, parseMemberValue, type TopLevelIndex } from '../formats/json/top-level.js';
import { changedFieldPaths, compareCodePoints, valuesEqual } from './values.js';

export interface ModifiedEntry {
  readonly key: string;
  /** Changed field paths, e.g. `config.download[0].file_url`. */
  readonly fields: readonly string[];
}

export interface EntryDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly modified: readonly ModifiedEntry[];
}

export function changeCount(diff: EntryDiff): number {
  return diff.added.length + diff.removed.length + diff.modified.length;
}

export const NO_CHANGES: EntryDiff = { added: [], removed: [], modified: [] };

/** A body that cannot be synced: not JSON, not an object of objects. */
export class EntriesShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntriesShapeError';
  }
}

/** Indexes a document that must be an object whose every value is an object. */
export function indexEntries(text: string, what: string): TopLevelIndex {
  let index: TopLevelIndex;
  try {
    index = indexTopLevelObject(text);
  } catch (error) {
    throw new EntriesShapeError(`${what} is not valid JSON of entries: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const member of index.members) {
    if (text.charCodeAt(member.valueStart) !== 0x7b) {
      throw new EntriesShapeError(`${what} is not an object of objects: the value of ${JSON.stringify(member.key)} is not an object`);
    }
  }
  return index;
}

export function compareEntries(current: TopLevelIndex, target: TopLevelIndex): EntryDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const modified: ModifiedEntry[] = [];
  for (const member of target.members) {
    if (!current.byKey.has(member.key)) added.push(member.key);
  }
  for (const member of current.members) {
    const other = target.byKey.get(member.key);
    if (other === undefined) {
      removed.push(member.key);
      continue;
    }
    const currentText = current.text.slice(member.valueStart, member.valueEnd);
    const targetText = target.text.slice(other.valueStart, other.valueEnd);
    if (currentText === targetText) continue;
    const before = parseMemberValue(current, member);
    const after = parseMemberValue(target, other);
    if (!valuesEqual(before, after)) modified.push({ key: member.key, fields: changedFieldPaths(before, after) });
  }
  added.sort(compareCodePoints);
  removed.sort(compareCodePoints);
  modified.sort((a, b) => compareCodePoints(a.key, b.key));
  return { added, removed, modified };
}
