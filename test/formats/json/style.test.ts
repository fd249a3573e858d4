import { describe, expect, it } from 'vitest';
import { parseLex } from '../../../src/formats/json/lex-value.js';
import { isPythonDumpsText } from '../../../src/formats/json/python-check.js';
import { PY_INDENT4, PY_INDENT_TAB, pythonDumps, type PythonDumpOptions } from '../../../src/formats/json/python-json.js';
import { detectJsonStyle } from '../../../src/formats/json/style.js';
import { readFixture } from './helpers.js';

describe('detectJsonStyle', () => {
  it.each([
    ['stable_diffusion.excerpt.json', { kind: 'py4', eol: '\n', memberIndent: '    ', unit: '    ' }],
    ['esrgan.json', { kind: 'pytab', eol: '\n', memberIndent: '\t', unit: '\t' }],
    // blip: "BLIP" at column 0, "BLIP_Large" at 2 spaces; the tie goes to the nested unit.
    ['blip.json', { kind: 'hand', eol: '\n', memberIndent: '  ', unit: '  ' }],
    // clip: tab keys with 4-space ones mixed in (2 of 5).
    ['clip.json', { kind: 'hand', eol: '\n', memberIndent: '\t', unit: '\t' }],
    // controlnet: mostly 4-space keys over tab-indented bodies, CRLF.
    ['controlnet.excerpt.json', { kind: 'hand', eol: '\r\n', memberIndent: '    ', unit: '\t' }],
  ] as const)('%s', (name, expected) => {
    expect(detectJsonStyle(readFixture(name))).toEqual({ ...expected, finalNewline: true, ensureAscii: true });
  });

  it('a py4 file without its final newline is not exactly py4, but keeps its indents', () => {
    const text = readFixture('stable_diffusion.excerpt.json').slice(0, -1);
    expect(detectJsonStyle(text)).toEqual({
      kind: 'hand',
      eol: '\n',
      finalNewline: false,
      ensureAscii: true,
      memberIndent: '    ',
      unit: '    ',
    });
  });

  it('empty objects', () => {
    expect(detectJsonStyle('{}\n')).toMatchObject({ kind: 'py4', memberIndent: '    ', finalNewline: true });
    expect(detectJsonStyle('{}')).toMatchObject({ kind: 'hand', memberIndent: '    ', unit: '    ', finalNewline: false });
    expect(detectJsonStyle('{\r\n}\r\n')).toMatchObject({ kind: 'hand', eol: '\r\n' });
  });

  it('raw non-ASCII means ensure_ascii=False', () => {
    const text = pythonDumps(parseLex('{"a": {"d": "café"}}'), { indent: '    ', ensureAscii: false }) + '\n';
    expect(detectJsonStyle(text)).toMatchObject({ kind: 'py4', ensureAscii: false });
    expect(detectJsonStyle(text.replace('é', '\\u00e9'))).toMatchObject({ kind: 'py4', ensureAscii: true });
  });
});

describe('isPythonDumpsText agrees with pythonDumps(parseLex(text)) + "\\n"', () => {
  const naive = (text: string, options: PythonDumpOptions): boolean => {
    try {
      return pythonDumps(parseLex(text), options) + '\n' === text;
    } catch {
      return false;
    }
  };
  const base = readFixture('stable_diffusion.excerpt.json');
  const cases: Array<[string, string]> = [
    ['fixture', base],
    ['no final newline', base.slice(0, -1)],
    ['two final newlines', base + '\n'],
    ['lowercase \\u hex', base.replace('\\u2014', '\\u00e9')],
    ['uppercase \\u hex', base.replace('\\u2014', '\\u00E9')],
    ['raw non-ASCII', base.replace('\\u2014', '\u2014')],
    ['escaped slash', base.replace('https://', 'https:\\/\\/')],
    ['float 2.5 as 2.50', base.replace('2.5\n', '2.50\n')],
    ['integer as float', base.replace('"clip_skip": 1', '"clip_skip": 1.0')],
    ['exponent', base.replace('"clip_skip": 1', '"clip_skip": 1e0')],
    ['-0', base.replace('"clip_skip": 1', '"clip_skip": -0')],
    ['trailing space', base.replace('"type": "ckpt",', '"type": "ckpt", ')],
    ['tab indent', base.replace('\n        "type"', '\n\t\t"type"')],
    ['compact colon', base.replace('"type": "ckpt"', '"type":"ckpt"')],
    ['empty list spread', base.replace('"features_not_supported": [', '"x": [\n        ],\n        "features_not_supported": [')],
    ['empty list', base.replace('"features_not_supported": [', '"x": [],\n        "features_not_supported": [')],
    ['nested duplicate key', base.replace('"type": "ckpt",', '"type": "ckpt",\n        "type": "ckpt",')],
    ['escaped tab', base.replace('"type": "ckpt"', '"type": "c\\tk"')],
    ['escaped control as \\u', base.replace('"type": "ckpt"', '"type": "c\\u0001k"')],
    ['escaped tab as \\u', base.replace('"type": "ckpt"', '"type": "c\\u0009k"')],
    ['astral pair', base.replace('"type": "ckpt"', '"type": "\\ud834\\udd1e"')],
    ['CRLF', base.replaceAll('\n', '\r\n')],
  ];
  it.each(cases)('%s', (name, text) => {
    expect(text !== base || name === 'fixture').toBe(true);
    for (const options of [PY_INDENT4, PY_INDENT_TAB, { indent: '    ', ensureAscii: false }]) {
      expect(isPythonDumpsText(text, options)).toBe(naive(text, options));
    }
  });

  it('pytab fixture', () => {
    const text = readFixture('esrgan.json');
    expect(isPythonDumpsText(text, PY_INDENT_TAB)).toBe(true);
    expect(naive(text, PY_INDENT_TAB)).toBe(true);
    expect(isPythonDumpsText(text, PY_INDENT4)).toBe(false);
  });

  it('hand-formatted fixtures are neither', () => {
    for (const name of ['blip.json', 'clip.json', 'controlnet.excerpt.json']) {
      const text = readFixture(name);
      for (const options of [PY_INDENT4, PY_INDENT_TAB]) {
        expect(isPythonDumpsText(text, options)).toBe(false);
        expect(naive(text, options)).toBe(false);
      }
    }
  });
});
