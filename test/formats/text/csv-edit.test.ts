import { describe, expect, it } from 'vitest';
import { applyCsvEdits, groupKeysByModel, modelNameOf, readCsv, type CsvEdits } from '../../../src/formats/text/index.js';
import { CONVERT_FIXTURES, fixtureFile } from './helpers/fixtures.js';

const NO_EDITS: CsvEdits = { replace: new Map(), remove: new Set(), insertAfter: new Map(), append: [] };
const edit = (text: string, edits: Partial<CsvEdits>) => applyCsvEdits(text, readCsv(text), { ...NO_EDITS, ...edits });

describe('applyCsvEdits', () => {
  for (const folder of CONVERT_FIXTURES) {
    it(`${folder}: no edits give the same bytes`, () => {
      const text = fixtureFile(folder, 'models.csv');
      expect(edit(text, {})).toBe(text);
    });
  }

  it('keeps the source spelling of unchanged cells in a replaced row', () => {
    const text = 'h1,h2,h3\r\n"a","b ""q""",c\r\n';
    const replaced = edit(text, { replace: new Map([[1, ['a', 'b "q"', 'new, value']]]) });
    expect(replaced).toBe('h1,h2,h3\r\n"a","b ""q""","new, value"\r\n');
  });

  it('gives new rows the dominant line ending and keeps a missing final newline', () => {
    const text = 'h\na\r\nb\r\nc';
    expect(edit(text, { append: [['d']] })).toBe('h\na\r\nb\r\nc\r\nd');
    // Removing the unterminated last row leaves the new last row unterminated too.
    expect(edit(text, { insertAfter: new Map([[-1, [['0']]]]), remove: new Set([3]) })).toBe('0\r\nh\na\r\nb');
  });

  it('writes a lone empty cell quoted, as csv.writer does', () => {
    expect(edit('h\r\n', { append: [['']] })).toBe('h\r\n""\r\n');
  });
});

describe('groupKeysByModel', () => {
  it('maps the three keys to their model, koboldcpp keys to every model with that model_name', () => {
    const current = ['a/x', 'b/x', 'gpt2'];
    const primary = new Set(['a/x', 'b/x', 'gpt2', 'new/m', 'new/x']);
    const groups = groupKeysByModel(
      ['a/x', 'aphrodite/a/x', 'koboldcpp/x', 'koboldcpp/gpt2', 'aphrodite/new/m', 'koboldcpp/ghost', 'aphrodite/ghost/y', 'new/x'],
      {
        isCurrent: (name) => current.includes(name),
        isPrimary: (name) => primary.has(name),
        currentWithModelName: (modelName) => current.filter((name) => modelNameOf(name) === modelName),
      },
    );
    expect([...groups.models]).toEqual([
      ['a/x', ['a/x', 'aphrodite/a/x', 'koboldcpp/x']],
      ['b/x', ['koboldcpp/x']],
      // A new model of PRIMARY shares koboldcpp/x too.
      ['new/x', ['koboldcpp/x', 'new/x']],
      ['gpt2', ['koboldcpp/gpt2']],
      ['new/m', ['aphrodite/new/m']],
    ]);
    expect(groups.orphans).toEqual(['koboldcpp/ghost', 'aphrodite/ghost/y']);
  });
});
