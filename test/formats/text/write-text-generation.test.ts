import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LexObject } from '../../../src/formats/json/lex-value.js';
import {
  convertToDbJson,
  convertToRecords,
  renderDbJson,
  dbKeysOf,
  parseModelsCsv,
  writeTextGeneration,
  type TextGenerationInput,
  type TextGenerationOutput,
} from '../../../src/formats/text/index.js';
import { diffDbJson, primaryBodyOf } from './helpers/changes.js';
import { syncBothWays } from './helpers/sync-both-ways.js';
import { fixtureFile, fixtureInput } from './helpers/fixtures.js';
import { linesTouched, splitLines } from './helpers/line-diff.js';
import {
  csvOf,
  insertAfter,
  newRow,
  primaryFromCsv,
  primaryFromRecords,
  rowsOf,
  setCells,
  withoutModel,
  type Primary,
} from './helpers/primary.js';

const BASE = fixtureInput('excerpt-2026-06');
const BASE_DB = fixtureFile('excerpt-2026-06', 'db.json');
const BASE_ROWS = rowsOf(BASE.modelsCsv);

/** The writer as the sync runs it, both ways (spliced and rendered db.json), which must agree. */
const sync = (primary: Primary, input: TextGenerationInput = BASE): TextGenerationOutput => syncBothWays(input, primary);

/** The written files are convert.py-consistent and agree with PRIMARY except on problem models. */
function expectConsistent(out: TextGenerationOutput, primary: Primary, input: TextGenerationInput = BASE): void {
  expect(out.dbJson === convertToDbJson(out.modelsCsv, input.defaultsJson, input.generationParamsJson)).toBe(true);
  const skip = new Set(out.problems.flatMap((problem) => [problem.model, ...dbKeysOf(problem.model)]));
  const written = JSON.parse(out.dbJson) as Record<string, unknown>;
  const wanted = JSON.parse(primary.dbJson) as Record<string, unknown>;
  const keys = new Set([...Object.keys(written), ...Object.keys(wanted)]);
  expect([...keys].filter((key) => !skip.has(key) && !isDeepStrictEqual(written[key], wanted[key]))).toEqual([]);
}

/** The source lines of a model's rows (CRLF included). */
function linesOfModel(csv: string, name: string): string[] {
  const parsed = parseModelsCsv(csv);
  return parsed.modelRows
    .filter((row) => row.fields.get('name') === name)
    .map((row) => {
      const span = parsed.rows[row.rowIndex];
      return span ? csv.slice(span.start, span.end) : '';
    });
}

function lineIndex(csv: string, name: string): number {
  return splitLines(csv).findIndex((line) => line.startsWith(`${name},`));
}

describe('writeTextGeneration', () => {
  it('returns models.csv unchanged when nothing changed', () => {
    const out = writeTextGeneration(BASE, primaryBodyOf(BASE_DB), { added: [], removed: [], modified: [] });
    expect(out.modelsCsv).toBe(BASE.modelsCsv);
    expect(out.dbJson === BASE_DB).toBe(true);
    expect(out).toMatchObject({ problems: [], changedModels: [] });
  });

  it('changes nothing for a model whose records only differ cosmetically', () => {
    const name = 'lightblue/Karasu-Mixtral-8x22B-v0.1'; // two identical rows
    const out = writeTextGeneration(BASE, primaryBodyOf(BASE_DB), { added: [], removed: [], modified: dbKeysOf(name) });
    expect(out.modelsCsv).toBe(BASE.modelsCsv);
    expect(out.changedModels).toEqual([]);
  });

  it('modifies a model at the start, in the middle and at the end, one cell each', () => {
    const names = ['acrastt/Marx-3B-V3', 'LatitudeGames/Equinox-31B', 'yamatazen/EsotericSage-12B'];
    let rows = BASE_ROWS;
    for (const name of names) rows = setCells(rows, name, { url: `https://example.org/${name}` });
    const primary = primaryFromCsv(csvOf(rows), BASE);
    const out = sync(primary);
    expectConsistent(out, primary);
    expect(out.changedModels).toEqual([...names].sort());
    expect(linesTouched(BASE.modelsCsv, out.modelsCsv)).toBe(6);
    for (const name of names) {
      const [before] = linesOfModel(BASE.modelsCsv, name);
      const url = `https://huggingface.co/${name}`;
      // Only the url cell changed: " 12", " Gemma 4", quotes and settings spacing stay as they were.
      expect(linesOfModel(out.modelsCsv, name)).toEqual([before?.replace(url, `https://example.org/${name}`)]);
      expect(lineIndex(out.modelsCsv, name)).toBe(lineIndex(BASE.modelsCsv, name));
    }
  });

  it('edits only the tags cell for a tag change, keeping the cell spelling', () => {
    const added = 'Casual-Autopsy/L3-Super-Nova-RP-8B'; // "roleplay, popular"
    const dropped = 'TheDrummer/Behemoth-ReduX-123B-v1.1'; // "roleplay, popular"
    let rows = setCells(BASE_ROWS, added, { tags: 'story,popular,   roleplay' });
    rows = setCells(rows, dropped, { tags: 'roleplay' });
    const primary = primaryFromCsv(csvOf(rows), BASE);
    const out = sync(primary);
    expectConsistent(out, primary);
    expect(linesTouched(BASE.modelsCsv, out.modelsCsv)).toBe(4);
    expect(linesOfModel(out.modelsCsv, added)).toEqual([
      linesOfModel(BASE.modelsCsv, added)[0]?.replace('"roleplay, popular"', '"roleplay, popular, story"'),
    ]);
    expect(linesOfModel(out.modelsCsv, dropped)).toEqual([
      linesOfModel(BASE.modelsCsv, dropped)[0]?.replace('"roleplay, popular"', 'roleplay'),
    ]);
  });

  it('rewrites parameters_bn and with it the size tag', () => {
    const name = 'google/gemma-4-E2B';
    const primary = primaryFromCsv(csvOf(setCells(BASE_ROWS, name, { parameters_bn: '2.5' })), BASE);
    const out = sync(primary);
    expectConsistent(out, primary);
    expect(linesOfModel(out.modelsCsv, name)).toEqual([linesOfModel(BASE.modelsCsv, name)[0]?.replace(',3,', ',2.5,')]);
    expect(primary.records.get(name)?.get('tags')).toContain('2B'); // half to even
  });

  it('places new models after their predecessor in PRIMARY, at the start and at the end', () => {
    let rows = insertAfter(BASE_ROWS, null, newRow('0-first/Model-1B', { parameters_bn: '1' }));
    rows = insertAfter(rows, 'gpt2-xl', newRow('gpt2-xxl', { parameters_bn: '3', description: 'new, "quoted"' }));
    rows = insertAfter(rows, 'gpt2-xxl', newRow('gpt2-xxxl', { parameters_bn: '4' }));
    rows = insertAfter(rows, 'lightblue/Karasu-Mixtral-8x22B-v0.1', newRow('lightblue/Karasu-Next'));
    rows = [...rows, newRow('zzz/Last-9B', { parameters_bn: '9', tags: 'b, a' })];
    const primary = primaryFromCsv(csvOf(rows), BASE);
    const out = sync(primary);
    expectConsistent(out, primary);
    expect(out.problems).toEqual([]);
    expect(linesTouched(BASE.modelsCsv, out.modelsCsv)).toBe(5);
    const lines = splitLines(out.modelsCsv);
    expect(lines[1]).toBe('0-first/Model-1B,1,,,,,,,,\r\n');
    expect(lineIndex(out.modelsCsv, 'gpt2-xxl')).toBe(lineIndex(out.modelsCsv, 'gpt2-xl') + 1);
    expect(lines[lineIndex(out.modelsCsv, 'gpt2-xxl')]).toBe('gpt2-xxl,3,,,,"new, ""quoted""",,,,\r\n');
    expect(lineIndex(out.modelsCsv, 'gpt2-xxxl')).toBe(lineIndex(out.modelsCsv, 'gpt2-xl') + 2);
    // After both of Karasu's (identical, adjacent) rows, not between them.
    expect(lineIndex(out.modelsCsv, 'lightblue/Karasu-Next')).toBe(lineIndex(out.modelsCsv, 'lightblue/Karasu-Mixtral-8x22B-v0.1') + 2);
    expect(lines.at(-1)).toBe('zzz/Last-9B,9,,,,,,"a, b",,\r\n');
  });

  it('removes models at the start, in the middle and at the end, deleting only their lines', () => {
    const names = ['acrastt/Marx-3B-V3', 'lightblue/Karasu-Mixtral-8x22B-v0.1', 'yamatazen/EsotericSage-12B'];
    const primary = primaryFromCsv(csvOf(names.reduce(withoutModel, BASE_ROWS)), BASE);
    const out = sync(primary);
    expectConsistent(out, primary);
    expect(out.changedModels).toEqual([...names].sort());
    expect(linesTouched(BASE.modelsCsv, out.modelsCsv)).toBe(4); // Karasu has two rows
    const kept = splitLines(BASE.modelsCsv).filter((line) => !names.some((name) => line.startsWith(`${name},`)));
    expect(out.modelsCsv).toBe(kept.join(''));
  });

  it('collapses duplicate rows into one row at the first row’s place', () => {
    const name = 'Casual-Autopsy/Maginum-Cydoms-24B'; // a bare first row, the full one second
    const primary = primaryFromCsv(csvOf(setCells(BASE_ROWS, name, { instruct_format: 'ChatML' })), BASE);
    const out = sync(primary);
    expectConsistent(out, primary);
    const [first, last] = linesOfModel(BASE.modelsCsv, name);
    expect(linesOfModel(out.modelsCsv, name)).toEqual([last?.replace(',Mistral V7 Tekken,\r\n', ',ChatML,\r\n')]);
    expect(splitLines(out.modelsCsv).indexOf(linesOfModel(out.modelsCsv, name)[0] ?? '')).toBe(
      splitLines(BASE.modelsCsv).indexOf(first ?? ''),
    );
    // Another duplicated model that did not change keeps both rows.
    expect(linesOfModel(out.modelsCsv, 'mistralai/Ministral-3-14B-Instruct-2512')).toHaveLength(2);
  });

  it('collapses duplicates whose last row already carries PRIMARY’s values by deleting the others', () => {
    const name = 'Sao10K/Llama-3.1-8B-Stheno-v3.4'; // first row lacks instruct_format, last has "Llama 3"
    const rows = BASE_ROWS.filter((cells, i) => !(cells[0] === name && BASE_ROWS.findIndex((r) => r[0] === name) === i));
    const primaryRows = setCells(rows, name, { url: 'https://example.org/stheno' });
    const primary = primaryFromCsv(csvOf(primaryRows), BASE);
    const out = sync(primary);
    expectConsistent(out, primary);
    expect(linesOfModel(out.modelsCsv, name)).toHaveLength(1);
    expect(linesOfModel(out.modelsCsv, name)[0]).toContain(',Llama 3,');
  });

  it('reports what models.csv cannot carry and leaves those rows alone', () => {
    const records = convertToRecords(BASE.modelsCsv, BASE.defaultsJson, BASE.generationParamsJson);
    const edit = (name: string, keys: readonly string[], change: (record: LexObject) => void) => {
      for (const key of keys) {
        const record = new Map(records.get(key));
        change(record);
        records.set(key, record);
      }
    };
    edit('gpt2', dbKeysOf('gpt2'), (record) => record.set('version', '2'));
    edit('gpt2-large', dbKeysOf('gpt2-large'), (record) => record.set('settings', new Map([['mirostat', null]])));
    edit('gpt2-xl', ['aphrodite/gpt2-xl'], (record) => record.set('url', 'https://example.org/aphrodite-only'));
    records.delete('koboldcpp/Qwen3-8B');
    records.set('koboldcpp/nobody', new Map([['name', 'koboldcpp/nobody']]));
    // A change models.csv can carry goes through in the same run.
    edit('EleutherAI/pythia-70m', dbKeysOf('EleutherAI/pythia-70m'), (record) => record.set('instruct_format', 'Alpaca'));
    const primary = primaryFromRecords(records);
    const out = sync(primary);
    expectConsistent(out, primary);
    // Sorted by code point, as Python sorts: upper case first.
    expect(out.problems.map((problem) => problem.model)).toEqual(['Qwen/Qwen3-8B', 'gpt2', 'gpt2-large', 'gpt2-xl', 'koboldcpp/nobody']);
    expect(out.problems.map((problem) => problem.message).join('\n')).toMatch(
      /lacks koboldcpp\/Qwen3-8B[^]*version[^]*generation_params\.json[^]*differ in url[^]*none of the three keys/,
    );
    expect(out.changedModels).toEqual(['EleutherAI/pythia-70m']);
    expect(linesTouched(BASE.modelsCsv, out.modelsCsv)).toBe(2);
  });

  it('keeps CRLF everywhere, and LF without a final newline in an LF file', () => {
    const lf = fixtureInput('synthetic-lf');
    expect(lf.modelsCsv.includes('\r\n')).toBe(false);
    expect(lf.modelsCsv.endsWith('\n')).toBe(false);
    let rows = rowsOf(lf.modelsCsv);
    const last = rows.at(-1)?.[0] as string;
    rows = setCells(rows, last, { description: 'changed' });
    rows = [...rows, newRow('New/Appended-2B', { parameters_bn: '2' })];
    rows = insertAfter(rows, null, newRow('0/First', { description: 'two\nlines' }));
    const primary = primaryFromCsv(csvOf(rows, '\n'), lf);
    const out = sync(primary, lf);
    expectConsistent(out, primary, lf);
    expect(out.modelsCsv.includes('\r')).toBe(false);
    expect(out.modelsCsv.endsWith('New/Appended-2B,2,,,,,,,,')).toBe(true);
    expect(splitLines(out.modelsCsv)[1]).toBe('0/First,7,,,,"two\n');

    const crlf = sync(primaryFromCsv(csvOf(insertAfter(BASE_ROWS, 'gpt2', newRow('gpt3', { description: 'a\nb' }))), BASE));
    expect(crlf.modelsCsv.replaceAll('\r\n', '').includes('\r')).toBe(false);
    expect(crlf.modelsCsv.split('\n').length).toBe(crlf.modelsCsv.split('\r\n').length + 1); // the one embedded \n
    expect(crlf.modelsCsv.endsWith('\r\n')).toBe(true);
  });

  it('reports both owners of a shared koboldcpp key and still writes the one PRIMARY changed', () => {
    const rows = [BASE_ROWS[0] as string[], newRow('a/x', { url: 'https://a' }), newRow('b/x', { url: 'https://b' })];
    const input = { ...BASE, modelsCsv: csvOf(rows) };
    const primary = primaryFromCsv(csvOf(setCells(rows, 'b/x', { url: 'https://b2' })), input);
    const out = sync(primary, input);
    expectConsistent(out, primary, input);
    expect(out.changedModels).toEqual(['b/x']);
    // koboldcpp/x belongs to a/x too, but carries b/x's values: a/x cannot be written, and did not need to be.
    expect(out.problems.map((problem) => problem.model)).toEqual(['a/x']);
  });

  it("rewrites only the changed models' members of db.json and copies every other byte", () => {
    const name = 'LatitudeGames/Equinox-31B';
    const primary = primaryFromCsv(csvOf(setCells(BASE_ROWS, name, { url: 'https://example.org/equinox' })), BASE);
    // An unchanged member whose bytes differ from what convert.py would write for it: a writer
    // that renders the whole file would put convert.py's spelling back; the splice keeps it.
    const untouched = '"koboldcpp/gpt2-xl": {';
    expect(BASE.dbJson.includes(untouched)).toBe(true);
    const odd = BASE.dbJson.replace(untouched, '"koboldcpp/gpt2-xl": {\n        "name": "koboldcpp/gpt2-xl", "odd": 1,');
    const changes = diffDbJson(BASE.dbJson, primary.dbJson);
    expect(changes.modified).toEqual(dbKeysOf(name));
    const out = writeTextGeneration({ ...BASE, dbJson: odd }, primary.body, changes);
    const expected = writeTextGeneration(BASE, primary.body, changes);
    expect(out.modelsCsv).toBe(expected.modelsCsv);
    expect(out.dbJson.includes('"odd": 1,')).toBe(true);
    expect(out.dbJson === expected.dbJson.replace(untouched, '"koboldcpp/gpt2-xl": {\n        "name": "koboldcpp/gpt2-xl", "odd": 1,')).toBe(true);
    expect(linesTouched(BASE.dbJson, expected.dbJson)).toBe(6); // the url line of each of the 3 keys, old and new
  });

  it("renders all of db.json when the repository's file is not convert.py's layout for models.csv", () => {
    const name = 'LatitudeGames/Equinox-31B';
    const primary = primaryFromCsv(csvOf(setCells(BASE_ROWS, name, { url: 'https://example.org/equinox' })), BASE);
    const changes = diffDbJson(BASE.dbJson, primary.dbJson);
    const records = convertToRecords(BASE.modelsCsv, BASE.defaultsJson, BASE.generationParamsJson);
    const [a, b, ...rest] = records;
    for (const [why, dbJson] of [
      ['CRLF, as until 2023-12', BASE.dbJson.replaceAll('\n', '\r\n')],
      ['two keys in another order', renderDbJson(new Map([b, a, ...rest] as [string, LexObject][]))],
      ['a key models.csv does not make', renderDbJson(new Map([...records, ['stray', new Map()]]))],
    ] as const) {
      const out = writeTextGeneration({ ...BASE, dbJson }, primary.body, changes);
      // convert.py's output of the written models.csv, which here is PRIMARY's records in its format.
      expect(out.dbJson === primary.dbJson, why).toBe(true);
      expect(linesTouched(BASE.modelsCsv, out.modelsCsv), why).toBe(2);
    }
  });

  it('syncs the 2025-11 excerpt to the 2026-06 one, as convert.py would have written it', () => {
    const older = fixtureInput('excerpt-2025-11');
    const newerDb = fixtureFile('excerpt-2026-06', 'db.json');
    const primary = { body: primaryBodyOf(newerDb), dbJson: newerDb, records: new Map() };
    const out = writeTextGeneration(older, primary.body, diffDbJson(fixtureFile('excerpt-2025-11', 'db.json'), newerDb));
    expectConsistent(out, primary, older);
    expect(out.problems).toEqual([]);
    // Same models in the same order: the written db.json is the real convert.py output of 2026-06.
    expect(out.dbJson === newerDb).toBe(true);
  });
});
