/** The Python built-ins convert.py relies on, against what CPython gave (fixtures/text/python-cases.json). */
import { describe, expect, it } from 'vitest';
import { pythonFloatRepr } from '../../../src/formats/json/python-json.js';
import {
  compareCodePoints,
  deriveDisplayName,
  parametersBnFor,
  parametersFromCell,
  pyFloat,
  pyStrip,
  PythonJsonError,
  pythonDumpsCompact,
  pythonJsonLoads,
  sizeTag,
} from '../../../src/formats/text/index.js';
import { fixtureFile } from './helpers/fixtures.js';

interface PythonCases {
  python: string;
  float: { text: string; float: string | null; parameters?: string; sizeTag?: string }[];
  strip: { text: string; strip: string }[];
  sorted: { items: string[]; sorted: string[] }[];
  json: { text: string; dumps: string | null }[];
  displayName: { modelName: string; displayName: string }[];
}
const cases = JSON.parse(fixtureFile('.', 'python-cases.json')) as PythonCases;

/** Python's repr of a float; the lead's emulation spells the specials as JSON does. */
function pyRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return pythonFloatRepr(x);
}

describe(`Python ${cases.python} built-ins`, () => {
  for (const c of cases.float) {
    it(`float(${JSON.stringify(c.text)}), int(f * 1e9) and the size tag`, () => {
      const value = pyFloat(c.text);
      expect(value === undefined ? null : pyRepr(value)).toBe(c.float);
      const parameters = parametersFromCell(c.text);
      if (c.float === null || c.parameters === 'ValueError' || c.parameters === 'OverflowError') {
        expect('error' in parameters).toBe(true);
      } else {
        expect('error' in parameters ? parameters.error : parameters.count.toString()).toBe(c.parameters);
        expect('error' in parameters ? '' : sizeTag(parameters.billions)).toBe(c.sizeTag);
      }
    });
  }

  for (const c of cases.strip) {
    it(`str.strip() of ${JSON.stringify(c.text)}`, () => expect(pyStrip(c.text)).toBe(c.strip));
  }

  for (const c of cases.sorted) {
    it('sorted() orders by code point', () => expect([...c.items].sort(compareCodePoints)).toEqual(c.sorted));
  }

  for (const c of cases.json) {
    it(`json.dumps(json.loads(${JSON.stringify(c.text)}))`, () => {
      if (c.dumps === null) expect(() => pythonJsonLoads(c.text)).toThrow(PythonJsonError);
      else expect(pythonDumpsCompact(pythonJsonLoads(c.text))).toBe(c.dumps);
    });
  }

  for (const c of cases.displayName) {
    it(`display name derived from ${JSON.stringify(c.modelName)}`, () => {
      expect(deriveDisplayName(c.modelName)).toBe(c.displayName);
    });
  }
});

describe('parametersBnFor', () => {
  it('writes the count in billions when that converts back exactly', () => {
    expect(parametersBnFor(70_000_000n)).toBe('0.07');
    expect(parametersBnFor(12_200_000_000n)).toBe('12.2');
    expect(parametersBnFor(700_000_000_000n)).toBe('700');
    expect(parametersBnFor(0n)).toBe('0');
    expect(parametersBnFor(4_099_999_999n)).toBe('4.1'); // what a CSV saying 4.1 yields
    expect(parametersBnFor(1_300_000_000n)).toBe('1.3');
  });

  it('finds a neighbouring double when the product truncates one below', () => {
    // float("4.1") * 1e9 == 4099999999.9999995, so "4.1" gives 4099999999.
    const cell = parametersBnFor(4_100_000_000n);
    expect(cell).toBe('4.1000000005');
    expect(cell).toBeDefined();
    const parameters = parametersFromCell(cell as string);
    expect('error' in parameters ? undefined : parameters.count).toBe(4_100_000_000n);
  });

  it('round-trips every count of a sample', () => {
    for (let i = 1n; i < 3000n; i += 7n) {
      for (const count of [i * 1_000_000n, i * 999_983n, i * 10_000_000n + 1n]) {
        const cell = parametersBnFor(count);
        const parameters = parametersFromCell(cell ?? 'x');
        expect('error' in parameters ? undefined : parameters.count, `${count} -> ${cell}`).toBe(count);
      }
    }
  });
});

describe('parametersBnFor with a size tag to meet', () => {
  it('skips spellings that round to another size tag', () => {
    // 2500000000 is "2.5" (tag 2B, half to even) or e.g. "2.50000000005" (tag 3B).
    expect(parametersBnFor(2_500_000_000n)).toBe('2.5');
    const cell = parametersBnFor(2_500_000_000n, (billions) => sizeTag(billions) === '3B') as string;
    const parameters = parametersFromCell(cell);
    expect('error' in parameters ? undefined : [parameters.count, sizeTag(parameters.billions)]).toEqual([2_500_000_000n, '3B']);
  });
});
