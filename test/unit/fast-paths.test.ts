/**
 * The performance fast paths must give exactly the answers of the slow paths they skip:
 * `sameTokens` (compare without parsing), the regex scan and key decoding of
 * `indexTopLevelObject`, its cache of recent indexes, and `pythonEncodeString`'s no-escape path.
 */
import { describe, expect, it } from 'vitest';
import { compareEntries, indexEntries, sameTokens } from '../../src/diff/compare-entries.js';
import { indexTopLevelObject, JsonShapeError } from '../../src/formats/json/top-level.js';
import { pythonDumps, pythonEncodeString, pythonNumberRepr } from '../../src/formats/json/python-json.js';
import { parseLex } from '../../src/formats/json/lex-value.js';

const same = (a: string, b: string) => sameTokens(a, 0, a.length, b, 0, b.length);

describe('sameTokens', () => {
  it('ignores whitespace between tokens only', () => {
    expect(same('{"a": [1, 2], "b": {"c": null}}', '{\n  "a": [\n    1,\n    2\n  ],\r\n\t"b": {"c":null}\n}')).toBe(true);
    expect(same('{"a": "x y"}', '{"a": "x  y"}')).toBe(false);
    expect(same('{"a": "x y"}', '{"a":"x y"}')).toBe(true);
  });

  it('compares strings exactly, escapes included, and finds their end past escaped quotes', () => {
    expect(same('{"a": "q\\"} {"}', '{"a":"q\\"} {"}')).toBe(true);
    expect(same('{"a": "caf\\u00e9"}', '{"a": "café"}')).toBe(false); // equal values, settled by parsing
    expect(same('{"a": "\\\\"}', '{"a": "\\\\" }')).toBe(true);
    expect(same('{"a": "\\\\", "b": 1}', '{"a": "\\\\", "b": 2}')).toBe(false);
  });

  it('leaves spelling differences and invalid literals to the parser', () => {
    expect(same('{"a": 1.0}', '{"a": 1}')).toBe(false);
    expect(same('{"a": 12}', '{"a": 1 2}')).toBe(false);
    expect(same('{"a": true}', '{"a": tr ue}')).toBe(false);
    expect(same('{"a": 1}', '{"a": 1, }')).toBe(false);
    expect(same('{"a": 1}', '{"a": 1')).toBe(false);
  });

  it('works on slices of larger texts', () => {
    const a = 'xx{"k": [1]}yy';
    const b = '{ "k" : [ 1 ] }';
    expect(sameTokens(a, 2, 12, b, 0, b.length)).toBe(true);
    expect(sameTokens(a, 2, 11, b, 0, b.length)).toBe(false);
  });
});

describe('compareEntries with the fast path', () => {
  it('reports the same drift as a parse of every entry', () => {
    const file = JSON.stringify({ a: { x: 1.5, t: ['é'] }, b: { y: [1, 2] }, c: { z: 'q"}' }, d: { w: 1 } }, null, 4).replace('1.5', '1.50');
    const primary = JSON.stringify({ d: { w: 1 }, c: { z: 'q"}' }, b: { y: [2, 1] }, a: { t: ['é'], x: 1.5 } }, null, 2);
    expect(compareEntries(indexEntries(file, 'f'), indexEntries(primary, 'p'))).toEqual({ added: [], removed: [], modified: [{ key: 'b', fields: ['y[0]', 'y[1]'] }] });
  });

  it('still rejects an invalid PRIMARY entry that only differs in whitespace inside a literal', () => {
    expect(() => compareEntries(indexEntries('{"a": {"n": 12}}', 'f'), indexEntries('{"a": {"n": 1 2}}', 'p'))).toThrow(/invalid JSON in the value of "a"/);
  });
});

describe('indexTopLevelObject: regex scan and key decoding', () => {
  it('skips braces, brackets and quotes inside strings', () => {
    const text = '{"a": {"s": "}]\\"{[", "t": ["]", {"u": "\\\\"}]}, "b\\u00e9": [1, {"c": "}"}], "c": "x", "d": 12}';
    const index = indexTopLevelObject(text);
    expect(index.members.map((m) => m.key)).toEqual(['a', 'bé', 'c', 'd']);
    for (const m of index.members) expect(JSON.parse(text.slice(m.valueStart, m.valueEnd))).toEqual((JSON.parse(text) as Record<string, unknown>)[m.key]);
  });

  it('reports an unterminated string inside a value at the string', () => {
    const text = '{"a": {"s": "never closed}}';
    try {
      indexTopLevelObject(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonShapeError);
      expect((error as JsonShapeError).message).toMatch(/unterminated string/);
      expect((error as JsonShapeError).offset).toBe(text.indexOf('"never'));
    }
  });

  it('reports an unclosed object, a raw control character in a key, and duplicate keys', () => {
    expect(() => indexTopLevelObject('{"a": {"b": [1}')).toThrow(/unterminated object or array/);
    expect(() => indexTopLevelObject('{"a\tb": {}}')).toThrow(/invalid key string/);
    expect(() => indexTopLevelObject('{"a": {}, "\\u0061": {}}')).toThrow(/duplicate key "a"/);
  });

  it('hands back the same index for the same big text, and a fresh one for another text', () => {
    const entries = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`model ${i}`, { name: `model ${i}`, n: i }]));
    const text = JSON.stringify(entries, null, 4);
    expect(text.length).toBeGreaterThan(1 << 16);
    const first = indexTopLevelObject(text);
    expect(indexTopLevelObject(text)).toBe(first);
    const sameLengthOther = text.replace('"model 0"', '"model X"');
    expect(sameLengthOther.length).toBe(text.length);
    const other = indexTopLevelObject(sameLengthOther);
    expect(other).not.toBe(first);
    expect(other.members[0]?.key).toBe('model X');
    expect(first.members[0]?.key).toBe('model 0');
  });
});

describe('pythonEncodeString and pythonNumberRepr fast paths', () => {
  it('returns plain strings quoted and escapes the rest as Python does', () => {
    expect(pythonEncodeString('plain text', true)).toBe('"plain text"');
    expect(pythonEncodeString('caf\u00e9 \u2014 "q" \\ \n\u007f', true)).toBe('"caf\\u00e9 \\u2014 \\"q\\" \\\\ \\n\\u007f"');
    expect(pythonEncodeString('caf\u00e9 \u2014 "q" \u0001', false)).toBe('"caf\u00e9 \u2014 \\"q\\" \\u0001"');
    expect(pythonEncodeString('\ud83d\ude00', true)).toBe('"\\ud83d\\ude00"');
  });

  it('keeps integer lexemes, normalizes the odd ones, and writes floats as repr()', () => {
    expect(['0', '12', '-7', '-0', '007', '1.0', '1e2', '2.50'].map(pythonNumberRepr)).toEqual(['0', '12', '-7', '0', '7', '1.0', '100.0', '2.5']);
  });

  it('renders nested values with cached indents at any level', () => {
    const value = parseLex('{"a": [1, {"b": []}, {}], "c": {"d": [true, null]}}');
    expect(pythonDumps(value, { indent: '  ', ensureAscii: false }, 2)).toBe(
      '{\n      "a": [\n        1,\n        {\n          "b": []\n        },\n        {}\n      ],\n      "c": {\n        "d": [\n          true,\n          null\n        ]\n      }\n    }',
    );
  });
});

describe('asciiJson (how the PRIMARY client keeps big bodies one-byte strings)', () => {
  it('escapes every non-ASCII unit as Python ensure_ascii does, keeping the JSON value', async () => {
    const { asciiJson } = await import('../../src/primary/ascii-body.js');
    const body = '{"caf\u00e9": {"d": "a \u2014 b \ud83d\ude00", "n": 1.0}}';
    const escaped = asciiJson(body);
    expect(escaped).toBe('{"caf\\u00e9": {"d": "a \\u2014 b \\ud83d\\ude00", "n": 1.0}}');
    expect(JSON.parse(escaped)).toEqual(JSON.parse(body));
    const plain = '{"a": {"b": 1}}';
    expect(asciiJson(plain)).toBe(plain);
  });
});
