import { describe, expect, it } from 'vitest';
import { parseTree } from 'jsonc-parser';
import { alignSequences } from '../../../src/formats/json/align.js';
import { spliceList, type ListInsert } from '../../../src/formats/json/list-splice.js';
import { placeNewKeys } from '../../../src/formats/json/placement.js';
import { applyTextEdits } from '../../../src/formats/json/text-edits.js';

/** Splices the root container of `text` (object or array). */
function splice(text: string, removed: number[], inserts: ListInsert[] = [], eol = '\n'): string {
  const root = parseTree(text);
  if (!root) throw new Error('bad fixture');
  const items = (root.children ?? []).map((item) => ({ start: item.offset, end: item.offset + item.length }));
  const edits = spliceList({
    text,
    open: root.offset,
    close: root.offset + root.length - 1,
    items,
    removed: new Set(removed),
    inserts,
    eol,
    defaultIndent: '  ',
  });
  return applyTextEdits(text, edits);
}

describe('spliceList, line layout', () => {
  const list = '[\n  1,\n  2,\n  3\n]';
  it.each([
    [[0], '[\n  2,\n  3\n]'],
    [[1], '[\n  1,\n  3\n]'],
    [[2], '[\n  1,\n  2\n]'],
    [[0, 1], '[\n  3\n]'],
    [[1, 2], '[\n  1\n]'],
    [[0, 2], '[\n  2\n]'],
    [[0, 1, 2], '[]'],
  ])('removes %j', (removed, expected) => {
    expect(splice(list, removed)).toBe(expected);
  });

  it('inserts at the start, after an item, before an item and at the end', () => {
    expect(splice(list, [], [{ anchor: { before: 0 }, text: '0' }])).toBe('[\n  0,\n  1,\n  2,\n  3\n]');
    expect(splice(list, [], [{ anchor: { after: 0 }, text: '9' }])).toBe('[\n  1,\n  9,\n  2,\n  3\n]');
    expect(splice(list, [], [{ anchor: { before: 2 }, text: '9' }])).toBe('[\n  1,\n  2,\n  9,\n  3\n]');
    expect(splice(list, [], [{ anchor: { after: 2 }, text: '4' }, { anchor: { after: 2 }, text: '5' }])).toBe(
      '[\n  1,\n  2,\n  3,\n  4,\n  5\n]',
    );
  });

  it('replaces removed items in place', () => {
    expect(splice(list, [1], [{ anchor: { after: 0 }, text: '9' }])).toBe('[\n  1,\n  9,\n  3\n]');
    expect(splice(list, [2], [{ anchor: { after: 1 }, text: '9' }])).toBe('[\n  1,\n  2,\n  9\n]');
    expect(splice(list, [0], [{ anchor: { before: 1 }, text: '9' }])).toBe('[\n  9,\n  2,\n  3\n]');
    expect(splice(list, [0, 1, 2], [{ anchor: { atEnd: true }, text: '9' }])).toBe('[\n  9\n]');
  });

  it("keeps each kept item's own indent (controlnet's mixed key indents)", () => {
    const mixed = '{\r\n\t"a": 1,\r\n    "b": 2,\r\n\t"c": 3\r\n}';
    expect(splice(mixed, [0], [], '\r\n')).toBe('{\r\n    "b": 2,\r\n\t"c": 3\r\n}');
    expect(splice(mixed, [1], [], '\r\n')).toBe('{\r\n\t"a": 1,\r\n\t"c": 3\r\n}');
    expect(splice(mixed, [2], [], '\r\n')).toBe('{\r\n\t"a": 1,\r\n    "b": 2\r\n}');
    expect(splice(mixed, [], [{ anchor: { after: 1 }, text: '"x": 0' }], '\r\n')).toBe(
      '{\r\n\t"a": 1,\r\n    "b": 2,\r\n    "x": 0,\r\n\t"c": 3\r\n}',
    );
  });

  it('fills empty containers the way Python would', () => {
    expect(splice('[]', [], [{ anchor: { atEnd: true }, text: '1' }])).toBe('[\n  1\n]');
    expect(splice('{\n}', [], [{ anchor: { atEnd: true }, text: '"a": 1' }])).toBe('{\n  "a": 1\n}');
    expect(splice('[\n  1\n]', [0])).toBe('[]');
  });
});

describe('spliceList, inline layout', () => {
  const list = '[1, 2, 3]';
  it.each([
    [[0], '[2, 3]'],
    [[1], '[1, 3]'],
    [[2], '[1, 2]'],
    [[0, 1, 2], '[]'],
  ])('removes %j', (removed, expected) => {
    expect(splice(list, removed)).toBe(expected);
  });

  it('inserts with the list own separator', () => {
    expect(splice(list, [], [{ anchor: { before: 0 }, text: '0' }])).toBe('[0, 1, 2, 3]');
    expect(splice(list, [], [{ anchor: { after: 1 }, text: '9' }])).toBe('[1, 2, 9, 3]');
    expect(splice(list, [], [{ anchor: { after: 2 }, text: '4' }])).toBe('[1, 2, 3, 4]');
    expect(splice('[1,2]', [], [{ anchor: { after: 1 }, text: '3' }])).toBe('[1,2,3]');
    expect(splice('[1]', [0], [{ anchor: { atEnd: true }, text: '2' }])).toBe('[2]');
  });
});

describe('alignSequences', () => {
  const align = (from: string, to: string) =>
    alignSequences(from.length, to.length, (i, j) => from[i] === to[j]).map((op) =>
      op.kind === 'add' ? `+${to[op.to]}` : op.kind === 'remove' ? `-${from[op.from]}` : op.kind === 'modify' ? `${from[op.from]}>${to[op.to]}` : from[op.from],
    );
  it('keeps equal elements, pairs the rest in order', () => {
    expect(align('abc', 'abc')).toEqual(['a', 'b', 'c']);
    expect(align('abc', 'aXc')).toEqual(['a', 'b>X', 'c']);
    expect(align('abc', 'ac')).toEqual(['a', '-b', 'c']);
    expect(align('ac', 'abc')).toEqual(['a', '+b', 'c']);
    expect(align('abcd', 'XbYZd')).toEqual(['a>X', 'b', 'c>Y', '+Z', 'd']);
    expect(align('', 'ab')).toEqual(['+a', '+b']);
    expect(align('ab', '')).toEqual(['-a', '-b']);
  });
});

describe('placeNewKeys', () => {
  it('after the nearest kept key before, else before the nearest after, else at the end', () => {
    const kept = new Set(['b', 'd']);
    const placed = placeNewKeys(['x', 'b', 'y', 'z', 'd', 'w'], (key) => !kept.has(key), (key) => kept.has(key));
    expect(placed).toEqual([
      { key: 'x', placement: { before: 'b' } },
      { key: 'y', placement: { after: 'b' } },
      { key: 'z', placement: { after: 'b' } },
      { key: 'w', placement: { after: 'd' } },
    ]);
    expect(placeNewKeys(['a'], () => true, () => false)).toEqual([{ key: 'a', placement: { atEnd: true } }]);
  });
});
