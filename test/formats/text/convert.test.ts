import { describe, expect, it } from 'vitest';
import {
  ConvertError,
  convertToDbJson,
  convertToRecords,
} from '../../../src/formats/text/index.js';
import { CONVERT_FIXTURES, fixtureFile, fixtureInput } from './helpers/fixtures.js';

const convert = (folder: string) => {
  const input = fixtureInput(folder);
  return convertToDbJson(input.modelsCsv, input.defaultsJson, input.generationParamsJson);
};

describe('convertToDbJson', () => {
  for (const folder of CONVERT_FIXTURES) {
    it(`${folder}: byte for byte what the real convert.py wrote`, () => {
      expect(convert(folder) === fixtureFile(folder, 'db.json')).toBe(true);
    });
  }

  it('keeps the quirks convert.py has', () => {
    const input = fixtureInput('synthetic');
    const records = convertToRecords(input.modelsCsv, input.defaultsJson, input.generationParamsJson);
    const tags = (key: string) => records.get(key)?.get('tags');
    // round() is half to even on the exact double.
    expect(tags('Half/Zero-Point-Five')).toEqual(['0B']);
    expect(tags('Half/One-Point-Five')).toEqual(['2B']);
    expect(tags('Half/Two-Point-Five')).toEqual(['2B']);
    expect(tags('Half/Three-Point-Five')).toEqual(['4B']);
    expect(tags('Half/Twelve-Point-Five')).toEqual(['12B']);
    // name.split("/")[1]: the second part, for two slashes and for a URL.
    expect(records.has('koboldcpp/sub')).toBe(true);
    expect(records.get('koboldcpp/')?.has('display_name')).toBe(false);
    // int(float(s) * 1e9) truncates.
    expect(records.get('Params/Truncates')?.get('parameters')).toMatchObject({ lexeme: '4099999999' });
    // A zero count is falsy, so defaults' null stays.
    expect(records.get('Params/Zero')?.get('parameters')).toBeNull();
    // Duplicate rows: the first row's position, the last row's values.
    const keys = [...records.keys()];
    expect(keys.indexOf('Dup/Conflicting')).toBeLessThan(keys.indexOf('Dup/Other'));
    expect(records.get('Dup/Conflicting')?.get('url')).toBe('https://example.org/last');
  });

  it('writes {} for an empty file or a bare header, as convert.py does', () => {
    const { defaultsJson, generationParamsJson } = fixtureInput('excerpt-2026-06');
    expect(convertToDbJson('', defaultsJson, generationParamsJson)).toBe('{}\n');
    const header = fixtureFile('excerpt-2026-06', 'models.csv').split('\r\n')[0] ?? '';
    expect(convertToDbJson(`${header}\r\n`, defaultsJson, generationParamsJson)).toBe('{}\n');
  });

  it('fails on a byte-order mark like convert.py (KeyError: the first column is "\\ufeffname")', () => {
    const { modelsCsv, defaultsJson, generationParamsJson } = fixtureInput('excerpt-2026-06');
    expect(() => convertToDbJson(`\ufeff${modelsCsv}`, defaultsJson, generationParamsJson)).toThrow(/no "name" column/);
  });

  const errors = JSON.parse(fixtureFile('convert-errors', 'expected.json')) as Record<
    string,
    { model: string; exitCode: number; lastLine: string }
  >;
  for (const [name, expected] of Object.entries(errors)) {
    it(`throws ConvertError where convert.py exits ${expected.exitCode}: ${name}`, () => {
      expect(expected.exitCode).not.toBe(0);
      let caught: unknown;
      try {
        convert(`convert-errors/${name}`);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConvertError);
      expect((caught as ConvertError).model).toBe(expected.model);
      expect((caught as ConvertError).message).toContain(expected.model);
    });
  }
});
