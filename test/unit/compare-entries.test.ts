import { describe, expect, it } from 'vitest';
import { compareEntries, EntriesShapeError, indexEntries } from '../../src/diff/compare-entries.js';
import { changedFieldPaths, compareCodePoints, valuesEqual } from '../../src/diff/values.js';

function diff(current: string, target: string) {
  return compareEntries(indexEntries(current, 'current'), indexEntries(target, 'target'));
}

const base = {
  'Model A': { name: 'Model A', nsfw: false, config: { files: [{ path: 'a.ckpt', sha256sum: 'abc' }] }, size: 100, cfg: 1.5 },
  'Model B': { name: 'Model B', nsfw: true, description: 'café', tags: ['x', 'y'] },
};

describe('compareEntries: cosmetic differences are not changes', () => {
  const json = JSON.stringify(base, null, 4) + '\n';

  it('reordered keys inside entries', () => {
    const reordered = '{"Model A": {"cfg": 1.5, "size": 100, "config": {"files": [{"sha256sum": "abc", "path": "a.ckpt"}]}, "nsfw": false, "name": "Model A"}, "Model B": {"tags": ["x", "y"], "description": "café", "nsfw": true, "name": "Model B"}}';
    expect(diff(json, reordered)).toEqual({ added: [], removed: [], modified: [] });
  });

  it('reordered entries', () => {
    const reordered = JSON.stringify({ 'Model B': base['Model B'], 'Model A': base['Model A'] });
    expect(diff(json, reordered)).toEqual({ added: [], removed: [], modified: [] });
  });

  it('number spelling: 1.0 vs 1, 1e2 vs 100, 1.50 vs 1.5', () => {
    const a = '{"m": {"x": 1, "y": 100, "z": 1.5}}';
    const b = '{"m": {"x": 1.0, "y": 1e2, "z": 1.50}}';
    expect(diff(a, b).modified).toEqual([]);
  });

  it('string escapes: \\u00e9 vs é, \\/ vs /', () => {
    expect(diff('{"m": {"d": "caf\\u00e9 a\\/b"}}', '{"m": {"d": "café a/b"}}').modified).toEqual([]);
  });

  it('line endings and indentation', () => {
    const crlf = JSON.stringify(base, null, '\t').replace(/\n/g, '\r\n') + '\r\n';
    expect(diff(json, crlf)).toEqual({ added: [], removed: [], modified: [] });
  });
});

describe('compareEntries: real changes', () => {
  it('finds added, removed and modified entries, sorted by code point', () => {
    const current = '{"b": {"v": 1}, "a": {"v": 1}, "Z": {"v": 1}}';
    const target = '{"a": {"v": 2}, "c": {"v": 1}, "B": {"v": 1}, "Z": {"v": 1}}';
    const result = diff(current, target);
    expect(result.added).toEqual(['B', 'c']);
    expect(result.removed).toEqual(['b']);
    expect(result.modified).toEqual([{ key: 'a', fields: ['v'] }]);
  });

  it('array order is a change', () => {
    expect(diff('{"m": {"t": ["x", "y"]}}', '{"m": {"t": ["y", "x"]}}').modified.map((m) => m.key)).toEqual(['m']);
  });

  it('null is not a missing key', () => {
    expect(diff('{"m": {"a": null}}', '{"m": {}}').modified).toEqual([{ key: 'm', fields: ['a'] }]);
  });

  it('true is not 1', () => {
    expect(diff('{"m": {"a": true}}', '{"m": {"a": 1}}').modified).toHaveLength(1);
  });

  it('string comparison is exact: a hash that changes only in letter case is modified', () => {
    const result = diff('{"m": {"config": {"files": [{"sha256sum": "ABCDEF"}]}}}', '{"m": {"config": {"files": [{"sha256sum": "abcdef"}]}}}');
    expect(result.modified).toEqual([{ key: 'm', fields: ['config.files[0].sha256sum'] }]);
  });

  it('lists every changed field path', () => {
    const before = { name: 'x', config: { download: [{ file_url: 'a' }] }, tags: ['p'], extra: 1 };
    const after = { name: 'x', config: { download: [{ file_url: 'b' }] }, tags: ['p', 'q'], 'odd key': true };
    expect(changedFieldPaths(before, after)).toEqual(['["odd key"]', 'config.download[0].file_url', 'extra', 'tags[1]']);
  });
});

describe('indexEntries: shape errors', () => {
  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['an array', '[]', /is an array/],
    ['values that are not objects', '{"a": 1}', /not an object of objects/],
    ['truncated', '{"a": {"b": 1}, "c": {"d"', /unterminated|truncated|ends before/],
    ['empty', '', /empty document/],
    ['a duplicate key', '{"a": {}, "a": {}}', /duplicate key "a"/],
  ])('rejects %s', (_label, text, pattern) => {
    expect(() => indexEntries(text, 'body')).toThrow(EntriesShapeError);
    expect(() => indexEntries(text, 'body')).toThrow(pattern);
  });
});

describe('valuesEqual and compareCodePoints', () => {
  it('treats objects with the same members as equal whatever their order', () => {
    expect(valuesEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(valuesEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(valuesEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
  });

  it('orders by code point, as Python does (astral after BMP)', () => {
    const list = ['\u{1F600}', '\uFFFD', 'b', 'B', 'a'];
    expect([...list].sort(compareCodePoints)).toEqual(['B', 'a', 'b', '\uFFFD', '\u{1F600}']);
  });
});
