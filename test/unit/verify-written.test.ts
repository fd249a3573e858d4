import { describe, expect, it } from 'vitest';
import { parseLex, type LexObject } from '../../src/formats/json/lex-value.js';
import { indexTopLevelObject, lookupOf } from '../../src/formats/json/top-level.js';
import { renderDbJsonMember, spliceDbJson } from '../../src/formats/text/db-json-splice.js';
import { verifyWritten } from '../../src/sync/plan-category.js';

const OLD = '{\n    "a": {\n        "v": 1\n    },\n    "b": {\n        "v": 2\n    },\n    "c": {\n        "v": 3\n    }\n}\n';
const TARGET = indexTopLevelObject('{"a": {"v": 1}, "b": {"v": 20}, "d": {"v": 4}}');
const CHANGES = { added: ['d'], removed: ['c'], modified: ['b'] };

/** OLD with b and d rendered from these values, c dropped. */
function splice(b: number, d: number) {
  const rendered = new Map([
    ['b', renderDbJsonMember('b', parseLex(`{"v": ${b}}`) as LexObject)],
    ['d', renderDbJsonMember('d', parseLex(`{"v": ${d}}`) as LexObject)],
  ]);
  return spliceDbJson(indexTopLevelObject(OLD), ['a', 'b', 'd'], rendered);
}

describe('verifyWritten', () => {
  it('accepts a spliced file through its member lookup, as it accepts it scanned', () => {
    const { text, members } = splice(20, 4);
    expect(verifyWritten(text, TARGET, CHANGES, members)).toBeNull();
    expect(verifyWritten(text, TARGET, CHANGES)).toBeNull();
  });

  it('finds a changed member that does not equal PRIMARY, and a removed one still there', () => {
    const wrong = splice(21, 4);
    expect(verifyWritten(wrong.text, TARGET, CHANGES, wrong.members)).toBe('entry "b" does not equal PRIMARY\'s after writing');
    const kept = indexTopLevelObject(OLD);
    expect(verifyWritten(OLD, TARGET, { added: [], removed: ['c'], modified: [] }, lookupOf(kept))).toBe('entry "c" is still present after writing');
    expect(verifyWritten(OLD, TARGET, { added: ['d'], removed: [], modified: [] }, lookupOf(kept))).toBe('entry "d" is missing after writing');
  });

  it('refuses a lookup of another text, and a written file that is not JSON', () => {
    const { members } = splice(20, 4);
    expect(verifyWritten(OLD, TARGET, CHANGES, members)).toMatch(/of another text/);
    expect(verifyWritten('{"a": ', TARGET, CHANGES)).toMatch(/^the written file is not valid/);
  });
});
