/**
 * Test-side helpers independent of the writer: the db.json key diff (plain JSON.parse and Node's
 * deep equality, which ignores key order) and PRIMARY's serialization of a db.json.
 */
import { isDeepStrictEqual } from 'node:util';
import { pythonDumps } from '../../../../src/formats/json/python-json.js';
import { pythonJsonLoads, type EntryChanges } from '../../../../src/formats/text/index.js';

export function diffDbJson(before: string, after: string): EntryChanges {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  return {
    added: Object.keys(b).filter((key) => !Object.hasOwn(a, key)),
    removed: Object.keys(a).filter((key) => !Object.hasOwn(b, key)),
    modified: Object.keys(a).filter((key) => Object.hasOwn(b, key) && !isDeepStrictEqual(a[key], b[key])),
  };
}

export function countChanges(changes: EntryChanges): number {
  return changes.added.length + changes.removed.length + changes.modified.length;
}

/** PRIMARY's v1 body: `json.dumps(data, indent=2, ensure_ascii=False)`, no final newline. */
export function primaryBodyOf(dbJson: string): string {
  return pythonDumps(pythonJsonLoads(dbJson), { indent: '  ', ensureAscii: false });
}
