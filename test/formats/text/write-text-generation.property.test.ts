/**
 * Seeded property tests: random adds, removals, edits, duplicate rows and reorders on PRIMARY's
 * side of the 2026-06 excerpt; the writer must reproduce PRIMARY through models.csv while touching
 * only the rows of the models that changed.
 */
import { describe, expect, it } from 'vitest';
import type { LexObject } from '../../../src/formats/json/lex-value.js';
import {
  convertToDbJson,
  dbKeysOf,
  parseModelsCsv,
  type TextGenerationInput,
} from '../../../src/formats/text/index.js';
import { diffDbJson } from './helpers/changes.js';
import { syncBothWays } from './helpers/sync-both-ways.js';
import { fixtureInput, keepForPython } from './helpers/fixtures.js';
import { linesTouched, splitLines } from './helpers/line-diff.js';
import {
  COLUMNS,
  csvOf,
  insertAfter,
  newRow,
  primaryFromCsv,
  primaryFromRecords,
  rowsOf,
  setCells,
  withoutModel,
  type Column,
  type Primary,
} from './helpers/primary.js';
import { prng } from '../../support/prng.js';

const BASE = fixtureInput('excerpt-2026-06');
const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);


const VALUES: Record<Exclude<Column, 'name'>, readonly string[]> = {
  parameters_bn: ['1', '3', '7', '8', '12', '12.2', '0.07', '0.125', '1.3', '2.5', '3.5', '4.1', '24', '70', '123', ' 12', '700', '0.5'],
  display_name: ['', '', 'Custom Name', 'Émile 7B'],
  url: ['', 'https://example.org/a', 'https://huggingface.co/x/y'],
  baseline: ['', 'mistralai/Mistral-Nemo-Base-2407', 'google/gemma-4-31B'],
  description: ['', 'plain', 'with, comma', 'with "quotes", too', 'multi\nline', ' leading space', 'trailing space ', 'Café — ü 😀'],
  style: ['', '', 'generalist', 'chat', 'Chat', 'roleplay', 'story', 'coder'],
  tags: ['', 'roleplay', 'roleplay, popular', 'popular,roleplay', 'MoE, agentic, coding', ' chat ,story', 'reasoning'],
  instruct_format: ['', 'ChatML', 'Mistral', 'Mistral V7 Tekken', 'Gemma 4', ' Gemma 4', 'Llama 3'],
  settings: ['', '{"temperature": 1.0}', '{"temperature": 0.75, "min_p": 0.1}', '{"rep_pen":1.18}', '{"rep_pen": 3.0, "top_k": 1e2}'],
};

interface Scenario {
  readonly primaryRows: string[][];
  readonly log: string[];
}

function scenario(seed: number): Scenario {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let rows = rowsOf(BASE.modelsCsv);
  const log: string[] = [];
  const models = () => [...new Set(rows.slice(1).map((cells) => cells[0] as string))];
  const randomValues = () => {
    const values: Partial<Record<Column, string>> = {};
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) {
      const column = pick(COLUMNS.slice(1)) as Exclude<Column, 'name'>;
      values[column] = pick(VALUES[column]);
    }
    return values;
  };
  const operations = 1 + Math.floor(random() * 8);
  for (let op = 0; op < operations; op++) {
    const kind = pick(['modify', 'modify', 'remove', 'add', 'add', 'duplicate', 'move'] as const);
    const model = pick(models());
    if (kind === 'modify') {
      rows = setCells(rows, model, randomValues());
    } else if (kind === 'remove') {
      rows = withoutModel(rows, model);
    } else if (kind === 'add') {
      // A model_name of its own, so no koboldcpp key is shared.
      const name = `Gen${seed}/New-${op}-${Math.floor(random() * 1e6)}`;
      rows = insertAfter(rows, random() < 0.1 ? null : pick(models()), newRow(name, randomValues()));
    } else if (kind === 'duplicate') {
      const source = rows.find((cells, i) => i > 0 && cells[0] === model) as string[];
      const copy = setCells([rows[0] as string[], [...source]], model, randomValues())[1] as string[];
      rows = insertAfter(rows, pick(models()), copy);
    } else {
      const moved = rows.filter((cells, i) => i > 0 && cells[0] === model);
      rows = withoutModel(rows, model);
      for (const cells of moved) rows = insertAfter(rows, random() < 0.1 ? null : pick(models()), cells);
    }
    log.push(`${kind} ${model}`);
  }
  return { primaryRows: rows, log };
}

function modelLines(csv: string): Map<string, string[]> {
  const parsed = parseModelsCsv(csv);
  const lines = new Map<string, string[]>();
  for (const row of parsed.modelRows) {
    const name = row.fields.get('name') as string;
    const span = parsed.rows[row.rowIndex];
    lines.set(name, [...(lines.get(name) ?? []), span ? csv.slice(span.start, span.end) : '']);
  }
  return lines;
}

/** The writer on the repository's db.json (spliced) and on one in another layout (rendered): both agree. */
const run = (input: TextGenerationInput, primary: Primary) => syncBothWays(input, primary);

function expectWrittenLike(primary: Primary, out: ReturnType<typeof run>, context: string): void {
  expect(out.dbJson === convertToDbJson(out.modelsCsv, BASE.defaultsJson, BASE.generationParamsJson), context).toBe(true);
  const skip = new Set(out.problems.flatMap((problem) => dbKeysOf(problem.model)));
  const written = diffDbJson(out.dbJson, primary.dbJson);
  const wrong = [...written.added, ...written.removed, ...written.modified].filter((key) => !skip.has(key));
  expect(wrong, context).toEqual([]);
  expect(out.modelsCsv.replaceAll('\r\n', '').includes('\r'), context).toBe(false);
  expect(out.modelsCsv.endsWith('\r\n'), context).toBe(true);

  const before = modelLines(BASE.modelsCsv);
  const after = modelLines(out.modelsCsv);
  const changed = new Set(out.changedModels);
  // Lines, not rows: a description with a newline makes a row two lines long.
  const lineCount = (rows: string[] | undefined) => (rows ?? []).reduce((sum, row) => sum + splitLines(row).length, 0);
  let linesOfChanged = 0;
  for (const [name, lines] of before) {
    if (changed.has(name)) linesOfChanged += lineCount(lines);
    else expect(after.get(name), `${context}: ${name} untouched`).toEqual(lines);
  }
  for (const name of changed) linesOfChanged += lineCount(after.get(name));
  expect(linesTouched(BASE.modelsCsv, out.modelsCsv), context).toBeLessThanOrEqual(linesOfChanged);
}

describe('writeTextGeneration on random drift (seeded)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, () => {
      const { primaryRows, log } = scenario(seed);
      const context = `seed ${seed}: ${log.join('; ')}`;
      const primary = primaryFromCsv(csvOf(primaryRows), BASE);
      const out = run(BASE, primary);
      keepForPython(`property-seed-${seed}`, BASE, out.modelsCsv, out.dbJson);
      expect(out.problems, context).toEqual([]);
      expectWrittenLike(primary, out, context);

      // A second run against the same PRIMARY finds nothing to do.
      const again = run({ ...BASE, modelsCsv: out.modelsCsv }, primary);
      expect(again.modelsCsv, context).toBe(out.modelsCsv);
      expect(again.changedModels, context).toEqual([]);
    });
  }
});

describe('writeTextGeneration on random drift with inexpressible records (seeded)', () => {
  for (const seed of SEEDS.slice(0, 15)) {
    it(`seed ${seed}`, () => {
      const random = prng(seed * 7919);
      const { primaryRows, log } = scenario(seed);
      const records = primaryFromCsv(csvOf(primaryRows), BASE).records;
      const names = [...records.keys()].filter((key) => records.has(`aphrodite/${key}`));
      const broken = [...new Set([0, 1].map(() => names[Math.floor(random() * names.length)] as string))];
      for (const name of broken) {
        for (const key of dbKeysOf(name)) records.set(key, new Map(records.get(key) as LexObject).set('version', '9'));
      }
      const primary = primaryFromRecords(records);
      const context = `seed ${seed}: ${log.join('; ')}; broken ${broken.join(', ')}`;
      const out = run(BASE, primary);
      keepForPython(`property-broken-seed-${seed}`, BASE, out.modelsCsv, out.dbJson);
      expect(out.problems.map((problem) => problem.model).sort(), context).toEqual([...broken].sort());
      const before = modelLines(BASE.modelsCsv);
      const after = modelLines(out.modelsCsv);
      for (const name of broken) expect(after.get(name), context).toEqual(before.get(name));
      expectWrittenLike(primary, out, context);
    });
  }
});
