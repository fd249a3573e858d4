/**
 * The writers' post-condition: the written file holds exactly PRIMARY's entries, compared as
 * values (key order and number spelling ignored, as Python's `==` would).
 */
import { isDeepStrictEqual } from 'node:util';
import { indexTopLevelObject, parseMemberValue, type TopLevelIndex } from './top-level.js';

export interface EntryMismatches {
  /** Keys PRIMARY has and the written file lacks. */
  readonly missing: string[];
  /** Keys the written file has and PRIMARY lacks. */
  readonly unexpected: string[];
  /** Keys whose values differ. */
  readonly different: string[];
}

export function hasMismatches(mismatches: EntryMismatches): boolean {
  return mismatches.missing.length + mismatches.unexpected.length + mismatches.different.length > 0;
}

/** Compares every entry of `writtenText` with PRIMARY's `targetText`. */
export function verifyWrittenEntries(
  writtenText: string,
  targetText: string,
  indexes: { written?: TopLevelIndex; target?: TopLevelIndex } = {},
): EntryMismatches {
  const written = indexes.written ?? indexTopLevelObject(writtenText);
  const target = indexes.target ?? indexTopLevelObject(targetText);
  const missing: string[] = [];
  const different: string[] = [];
  for (const member of target.members) {
    const got = written.byKey.get(member.key);
    if (got === undefined) missing.push(member.key);
    else if (!isDeepStrictEqual(parseMemberValue(written, got), parseMemberValue(target, member))) different.push(member.key);
  }
  const unexpected = written.members.filter((member) => !target.byKey.has(member.key)).map((member) => member.key);
  return { missing, unexpected, different };
}

/** Whether `key` holds equal values in both indexes (false when either lacks it). */
export function entryEquals(written: TopLevelIndex, target: TopLevelIndex, key: string): boolean {
  const got = written.byKey.get(key);
  const want = target.byKey.get(key);
  return got !== undefined && want !== undefined && isDeepStrictEqual(parseMemberValue(written, got), parseMemberValue(target, want));
}
