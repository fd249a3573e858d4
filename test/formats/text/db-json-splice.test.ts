import { describe, expect, it } from 'vitest';
import type { LexObject } from '../../../src/formats/json/lex-value.js';
import { indexTopLevelObject } from '../../../src/formats/json/top-level.js';
import { matchDbJsonRows, renderDbJsonMember, spliceDbJson } from '../../../src/formats/text/db-json-splice.js';
import { convertToDbJson, convertToRecords, MODELS_CSV_HEADER, parseModelsCsv, renderDbJson } from '../../../src/formats/text/index.js';
import { CONVERT_FIXTURES, fixtureInput } from './helpers/fixtures.js';

describe('matchDbJsonRows', () => {
  const keysOf = (csv: string) => {
    const parsed = parseModelsCsv(csv);
    const db = convertToDbJson(csv, '{}', '{}');
    return matchDbJsonRows(parsed, indexTopLevelObject(db));
  };

  for (const folder of CONVERT_FIXTURES) {
    it(`matches convert.py's own output, key for key (${folder})`, () => {
      const input = fixtureInput(folder);
      const parsed = parseModelsCsv(input.modelsCsv);
      const matched = matchDbJsonRows(parsed, indexTopLevelObject(input.dbJson));
      expect(matched).toBeDefined();
      // The keys each row writes, and at the first row of each key its place: convert.py's order.
      const placed = parsed.modelRows.flatMap(({ rowIndex }) =>
        (matched?.keysOfRow[rowIndex] ?? []).filter((_, i) => ((matched?.firstOfRow[rowIndex] ?? 0) & (1 << i)) !== 0),
      );
      expect(placed).toEqual([...convertToRecords(input.modelsCsv, input.defaultsJson, input.generationParamsJson).keys()]);
    });
  }

  it('knows the rows that repeat a key: duplicate rows and names sharing a koboldcpp key', () => {
    const header = MODELS_CSV_HEADER.join(',');
    const matched = keysOf(`${header}\r\na/x,1\r\nb/x,1\r\na/x,2\r\n`);
    expect(matched?.keysOfRow.slice(1)).toEqual([
      ['a/x', 'aphrodite/a/x', 'koboldcpp/x'],
      ['b/x', 'aphrodite/b/x', 'koboldcpp/x'],
      ['a/x', 'aphrodite/a/x', 'koboldcpp/x'],
    ]);
    expect([...(matched?.firstOfRow.slice(1) ?? [])]).toEqual([0b111, 0b011, 0]);
  });

  it('gives up on a row without a name cell', () => {
    const parsed = parseModelsCsv('parameters_bn,name\r\n1\r\n');
    expect(matchDbJsonRows(parsed, indexTopLevelObject('{}\n'))).toBeUndefined();
  });

  const input = fixtureInput('excerpt-2026-06');
  const parsed = parseModelsCsv(input.modelsCsv);
  const matches = (text: string) => matchDbJsonRows(parsed, indexTopLevelObject(text)) !== undefined;

  it('refuses another order, a missing or extra key, and other framing', () => {
    const db = input.dbJson;
    const records = convertToRecords(input.modelsCsv, input.defaultsJson, input.generationParamsJson);
    const entries = [...records];
    const swapped = new Map([entries[1], entries[0], ...entries.slice(2)] as [string, LexObject][]);
    expect(matches(renderDbJson(swapped))).toBe(false);
    expect(matches(renderDbJson(new Map(entries.slice(1))))).toBe(false);
    expect(matches(renderDbJson(new Map(entries.slice(0, -1))))).toBe(false);
    expect(matches(renderDbJson(new Map([...entries, ['extra', new Map()]])))).toBe(false);
    expect(matches(db.replaceAll('\n', '\r\n'))).toBe(false); // db.json until 2023-12
    expect(matches(db.slice(0, -1))).toBe(false); // no final newline
    expect(matches(db.replace('},\n    "', '}, "'))).toBe(false);
    expect(matches(`${JSON.stringify(JSON.parse(db), null, 2)}\n`)).toBe(false);
    expect(matches(db)).toBe(true);
  });

  it('accepts an empty file only as convert.py writes it', () => {
    const empty = parseModelsCsv('name,parameters_bn\r\n');
    expect(matchDbJsonRows(empty, indexTopLevelObject('{}\n'))).toBeDefined();
    expect(matchDbJsonRows(empty, indexTopLevelObject('{ }\n'))).toBeUndefined();
  });
});

describe('spliceDbJson', () => {
  const input = fixtureInput('excerpt-2026-06');
  const records = convertToRecords(input.modelsCsv, input.defaultsJson, input.generationParamsJson);
  const old = indexTopLevelObject(input.dbJson);

  /** Splices the old file into `after`'s keys, rendering `changed`; must equal rendering `after` whole. */
  function expectSpliced(after: Map<string, LexObject>, changed: readonly string[]): string {
    const rendered = new Map(changed.filter((key) => after.has(key)).map((key) => [key, renderDbJsonMember(key, after.get(key) as LexObject)]));
    const { text, members } = spliceDbJson(old, after.keys(), rendered);
    expect(text === renderDbJson(after)).toBe(true);
    // It finds every member where a scan of the new text finds it, and none of the removed ones.
    const scanned = indexTopLevelObject(text);
    expect(members.text === text).toBe(true);
    expect(scanned.members.map((member) => members.member(member.key))).toEqual(scanned.members);
    for (const key of records.keys()) if (!after.has(key)) expect(members.member(key), key).toBeUndefined();
    return text;
  }

  it('replaces, removes and inserts members, copying every other byte', () => {
    const keys = [...records.keys()];
    const [first, second, middle, last] = [keys[0], keys[1], keys[Math.floor(keys.length / 2)], keys.at(-1)] as [string, string, string, string];
    const after = new Map<string, LexObject>();
    after.set('aaa/new', new Map([['name', 'aaa/new'], ['note', 'caf\u00e9']]));
    for (const [key, record] of records) {
      if (key === second) continue;
      after.set(key, key === middle || key === last ? new Map([...record, ['url', 'https://example.org']]) : record);
      if (key === middle) after.set('inserted', new Map([['name', 'inserted']]));
    }
    expectSpliced(after, ['aaa/new', second, middle, 'inserted', last]);
    expect(after.has(first)).toBe(true);
  });

  it('gives the same text when nothing is rendered, and "{}" when every key goes', () => {
    expect(expectSpliced(records, []) === input.dbJson).toBe(true);
    const empty = spliceDbJson(old, [], new Map());
    expect(empty.text).toBe('{}\n');
    expect([...records.keys()].filter((key) => empty.members.member(key) !== undefined)).toEqual([]);
  });

  it('renders a member from a non-ASCII cell with \\u escapes, as json.dumps does', () => {
    const member = renderDbJsonMember('k\u00e9', new Map([['note', 'caf\u00e9 \u2014 ok']]));
    expect(member.text).toBe('"k\\u00e9": {\n        "note": "caf\\u00e9 \\u2014 ok"\n    }');
    expect(member.text.slice(member.valueStart)).toMatch(/^\{/);
  });

  it('refuses to keep a member the old file does not have', () => {
    expect(() => spliceDbJson(old, ['not-there'], new Map())).toThrow(/no member "not-there"/);
  });
});
