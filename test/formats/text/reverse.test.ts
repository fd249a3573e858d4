import { describe, expect, it } from 'vitest';
import { LexNumber, type LexObject, type LexValue } from '../../../src/formats/json/lex-value.js';
import {
  convertRow,
  dbKeysOf,
  lexEqual,
  loadConvertContext,
  MODELS_CSV_HEADER,
  parseModelsCsv,
  pythonJsonLoads,
  reverseModel,
  type ReverseResult,
} from '../../../src/formats/text/index.js';
import { fixtureFile, fixtureInput } from './helpers/fixtures.js';

function load(folder: string) {
  const input = fixtureInput(folder);
  const context = loadConvertContext(input.defaultsJson, input.generationParamsJson);
  const parsed = parseModelsCsv(input.modelsCsv);
  const db = pythonJsonLoads(fixtureFile(folder, 'db.json')) as Map<string, LexObject>;
  const rowsOf = new Map<string, string[][]>();
  for (const { rowIndex, fields } of parsed.modelRows) {
    const name = fields.get('name') as string;
    rowsOf.set(name, [...(rowsOf.get(name) ?? []), parsed.rows[rowIndex]?.cells ?? []]);
  }
  const reverse = (name: string, existingRows: string[][], bodies?: (LexValue | undefined)[]): ReverseResult =>
    reverseModel({
      name,
      bodies: bodies ?? dbKeysOf(name).map((key) => db.get(key)),
      existingRows,
      header: parsed.header,
      context,
    });
  const recordOf = (cells: string[]) =>
    convertRow(new Map(parsed.header.map((column, j) => [column, cells[j] ?? ''])), context).records[0];
  return { rowsOf, db, reverse, recordOf };
}

const cellsOf = (result: ReverseResult): string[] => {
  if ('problem' in result) throw new Error(result.problem);
  return result.cells;
};

describe('reverseModel on every fixture model', () => {
  for (const folder of ['excerpt-2025-08', 'excerpt-2025-11', 'excerpt-2026-06', 'synthetic']) {
    const { rowsOf, db, reverse, recordOf } = load(folder);

    // Two names whose part after the slash is the same share a koboldcpp key (the later row wins).
    const withoutName = (record: LexObject | undefined) => new Map([...(record ?? [])].filter(([field]) => field !== 'name'));
    const collides = (name: string) => !lexEqual(withoutName(db.get(dbKeysOf(name)[2])), withoutName(db.get(name)));
    const expressible = [...rowsOf].filter(([name]) => !collides(name));

    it(`${folder}: an unchanged record keeps every existing cell`, () => {
      for (const [name, rows] of expressible) {
        const cells = cellsOf(reverse(name, rows));
        if (rows.length === 1) expect(cells).toEqual(rows[0]);
        else cells.forEach((cell, j) => expect(rows.map((row) => row[j])).toContain(cell));
      }
    });

    it(`${folder}: a new model gets fresh cells that convert back to the same record`, () => {
      for (const [name] of expressible) {
        const cells = cellsOf(reverse(name, []));
        expect(lexEqual(recordOf(cells), db.get(name)), name).toBe(true);
      }
    });
  }

  it('writes fresh cells the way a person would', () => {
    const { reverse } = load('excerpt-2026-06');
    const fresh = (name: string) => Object.fromEntries(MODELS_CSV_HEADER.map((column, j) => [column, cellsOf(reverse(name, []))[j]]));
    // display_name blank when derived; tags without style and size tag; settings as json.dumps.
    expect(fresh('PocketDoc/Dans-PersonalityEngine-V1.2.0-24b')).toMatchObject({
      parameters_bn: '24',
      display_name: '',
      style: 'generalist',
      tags: 'code, roleplay, science, storywriting',
      settings: '{"temperature": 1.0, "top_p": 0.95, "min_p": 0.05}',
    });
    expect(fresh('acrastt/Marx-3B-V3')).toMatchObject({ display_name: '', settings: '{"temperature": 0.7, "top_p": 0.1, "top_k": 40, "rep_pen": 1.18}' });
    expect(fresh('TheDrummer/Behemoth-123B-v2')).toMatchObject({ display_name: 'Behemoth 123B v2.0' });
    expect(fresh('EleutherAI/pythia-70m')).toMatchObject({ parameters_bn: '0.07', style: '' });
    expect(fresh('yamatazen/EsotericSage-12B')).toMatchObject({ parameters_bn: '12' });
  });

  it('keeps an existing tags cell and edits it minimally when the list changes', () => {
    const { reverse, db, rowsOf } = load('excerpt-2026-06');
    const name = 'PocketDoc/Dans-PersonalityEngine-V1.2.0-24b';
    const tagsAt = MODELS_CSV_HEADER.indexOf('tags');
    const withTags = (tags: string[]) =>
      dbKeysOf(name).map((key) => new Map(db.get(key)).set('tags', tags) as LexValue);
    const before = (db.get(name)?.get('tags') as string[]).filter((tag) => tag !== 'science');
    expect(cellsOf(reverse(name, rowsOf.get(name) ?? [], withTags(before)))[tagsAt]).toBe('roleplay, storywriting, code');
    const after = [...(db.get(name)?.get('tags') as string[]), 'zzz'];
    expect(cellsOf(reverse(name, rowsOf.get(name) ?? [], withTags(after)))[tagsAt]).toBe('roleplay, storywriting, science, code, zzz');
  });
});

describe('reverseModel reports what models.csv cannot express', () => {
  const { reverse, db, rowsOf } = load('excerpt-2026-06');
  const name = 'NeverSleep/Noromaid-v0.4-Mixtral-Instruct-8x7b-Zloss';
  const rows = rowsOf.get(name) ?? [];
  const bodies = () => dbKeysOf(name).map((key) => new Map(db.get(key)) as LexObject);
  const problemOf = (result: ReverseResult) => ('problem' in result ? result.problem : 'no problem');
  const each = (edit: (body: LexObject) => void) =>
    bodies().map((body) => {
      edit(body);
      return body;
    });

  it('a body that differs between the three keys', () => {
    const changed = bodies();
    changed[1]?.set('url', 'https://example.org/other');
    expect(problemOf(reverse(name, rows, changed))).toMatch(/differ in url/);
  });

  it('a missing key', () => {
    const partial: (LexValue | undefined)[] = bodies();
    partial[2] = undefined;
    expect(problemOf(reverse(name, rows, partial))).toMatch(/lacks koboldcpp\/Noromaid-v0.4-Mixtral-Instruct-8x7b-Zloss/);
  });

  it('a name field that is not the key', () => {
    const changed = bodies();
    changed[0]?.set('name', 'other');
    expect(problemOf(reverse(name, rows, changed))).toMatch(/has name "other"/);
  });

  it('a model_name convert.py would not derive', () => {
    expect(problemOf(reverse(name, rows, each((body) => body.set('model_name', 'x'))))).toMatch(/model_name "x"/);
  });

  it('a field outside the columns that differs from defaults.json', () => {
    expect(problemOf(reverse(name, rows, each((body) => body.set('version', '2'))))).toMatch(/"version" is not a models.csv column and differs from defaults.json/);
    expect(problemOf(reverse(name, rows, each((body) => body.set('nsfw', true))))).toMatch(/"nsfw"/);
    expect(problemOf(reverse(name, rows, each((body) => body.set('homepage', 'x'))))).toMatch(/"homepage" is not a models.csv column and is not in defaults.json/);
  });

  it('a setting generation_params.json does not know', () => {
    const settings = new Map<string, LexValue>([['not_a_param', new LexNumber('1')]]);
    expect(problemOf(reverse(name, rows, each((body) => body.set('settings', settings))))).toMatch(/generation_params.json/);
  });

  it('values convert.py never writes', () => {
    expect(problemOf(reverse(name, rows, each((body) => body.set('url', ''))))).toMatch(/field "url"/);
    expect(problemOf(reverse(name, rows, each((body) => body.set('tags', ['roleplay', '28B']))))).toMatch(/field "tags"/);
    expect(problemOf(reverse(name, rows, each((body) => body.set('tags', ['28B']))))).toMatch(/field "tags"/);
    expect(problemOf(reverse(name, rows, each((body) => body.set('settings', new Map()))))).toMatch(/field "settings"/);
    expect(problemOf(reverse(name, rows, each((body) => body.set('parameters', new LexNumber('1.5')))))).toMatch(/field "parameters"/);
    expect(problemOf(reverse(name, rows, each((body) => body.set('description', new LexNumber('7')))))).toMatch(/field "description"/);
  });

  it('a koboldcpp key two names share', () => {
    const synthetic = load('synthetic');
    expect(problemOf(synthetic.reverse('Params/Spaces', synthetic.rowsOf.get('Params/Spaces') ?? []))).toMatch(
      /Params\/Spaces and koboldcpp\/Spaces differ/,
    );
    expect(problemOf(synthetic.reverse('Text/Spaces', synthetic.rowsOf.get('Text/Spaces') ?? []))).toBe('no problem');
  });

  it('an extra-cells record from a hand-made CSV (its "null" field has no column)', () => {
    const odd = load('odd-rows');
    expect(problemOf(odd.reverse('Extra/Cells-2B', odd.rowsOf.get('Extra/Cells-2B') ?? []))).toMatch(/"null" is not a models.csv column/);
  });
});
