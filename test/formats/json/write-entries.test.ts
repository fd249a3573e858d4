import { describe, expect, it } from 'vitest';
import { LexNumber, parseLex, type LexObject, type LexValue } from '../../../src/formats/json/lex-value.js';
import { isPythonDumpsText } from '../../../src/formats/json/python-check.js';
import { pythonDumps, PY_INDENT4, PY_INDENT_TAB } from '../../../src/formats/json/python-json.js';
import { detectJsonStyle } from '../../../src/formats/json/style.js';
import { indexTopLevelObject } from '../../../src/formats/json/top-level.js';
import { EntryChangesError, writeJsonEntries, type EntryChanges } from '../../../src/formats/json/write-entries.js';
import { computeChanges, expectGoodWrite, primaryText, readFixture, splitLines, touchReport, type TouchReport } from './helpers.js';

type Path = ReadonlyArray<string | number>;

function at(value: LexValue, path: Path): LexValue {
  let node = value;
  for (const step of path) {
    const next = typeof step === 'number' ? (node as LexValue[])[step] : (node as LexObject).get(step);
    if (next === undefined) throw new Error(`no ${String(step)} in path ${path.join('.')}`);
    node = next;
  }
  return node;
}

function set(root: LexValue, path: Path, value: LexValue): void {
  const parent = at(root, path.slice(0, -1));
  const last = path[path.length - 1] as string | number;
  if (typeof last === 'number') (parent as LexValue[])[last] = value;
  else (parent as LexObject).set(last, value);
}

/** PRIMARY's body for the file's entries after `edit`. */
function primaryWith(text: string, edit: (root: LexObject) => void): string {
  const root = parseLex(text) as LexObject;
  edit(root);
  return primaryText(root);
}

/** A map with `key` inserted at `position` (PRIMARY's order). */
function insertAt(root: LexObject, position: number, key: string, value: LexValue): void {
  const entries = [...root];
  entries.splice(position, 0, [key, value]);
  root.clear();
  for (const [k, v] of entries) root.set(k, v);
}

function write(current: string, target: string): { written: string; changes: EntryChanges; report: TouchReport } {
  const changes = computeChanges(current, target);
  const written = writeJsonEntries(current, target, changes);
  return { written, changes, report: expectGoodWrite(current, target, written, changes) };
}

function newEntry(template: LexValue, name: string): LexObject {
  const entry = parseLex(pythonDumps(template, PY_INDENT4)) as LexObject;
  entry.set('name', name);
  entry.set('description', 'Ünïcode — ☃ 𝄞');
  entry.set('weight', new LexNumber('1.0'));
  return entry;
}

const STYLES = [
  ['py4 (stable_diffusion excerpt)', readFixture('stable_diffusion.excerpt.json')],
  ['pytab (esrgan)', readFixture('esrgan.json')],
  ['hand, column-0 key (blip)', readFixture('blip.json')],
  ['hand, mixed tab/4-space keys (clip)', readFixture('clip.json')],
  ['hand, CRLF (controlnet excerpt)', readFixture('controlnet.excerpt.json')],
  ['py4 without final newline', readFixture('stable_diffusion.excerpt.json').slice(0, -1)],
  ['CRLF without final newline', readFixture('controlnet.excerpt.json').slice(0, -2)],
] as const;

describe.each(STYLES)('%s', (_, text) => {
  const keys = [...indexTopLevelObject(text).byKey.keys()];
  const positions = [
    ['first', 0],
    ['middle', Math.floor(keys.length / 2)],
    ['last', keys.length - 1],
  ] as const;
  const style = detectJsonStyle(text);
  const pathKey: Path = ['config', 'files', 0, 'path'];

  it('no changes: the same text', () => {
    expect(writeJsonEntries(text, primaryText(text), { added: [], removed: [], modified: [] })).toBe(text);
    const reordered = primaryWith(text, (root) => {
      const entries = [...root].reverse();
      root.clear();
      for (const [k, v] of entries) root.set(k, v);
    });
    expect(computeChanges(text, reordered)).toEqual({ added: [], removed: [], modified: [] });
    // Listed as modified although equal as values (key order only): nothing to write.
    expect(writeJsonEntries(text, reordered, { added: [], removed: [], modified: keys })).toBe(text);
  });

  it.each(positions)('modifies the %s entry: one line out, one line in', (_, position) => {
    const key = keys[position] as string;
    const target = primaryWith(text, (root) => {
      const entry = root.get(key) as LexObject;
      set(entry, pathKey, `${at(entry, pathKey) as string}.v2`);
    });
    const { written, report } = write(text, target);
    expect([report.removedLines, report.addedLines]).toEqual([1, 1]);
    if (style.kind !== 'hand') expect(isPythonDumpsText(written, style.unit === '\t' ? PY_INDENT_TAB : PY_INDENT4)).toBe(true);
  });

  it.each(positions)('removes the %s entry with its separator', (where, position) => {
    const key = keys[position] as string;
    const target = primaryWith(text, (root) => root.delete(key));
    const { written, report } = write(text, target);
    if (where === 'last') {
      // The new last entry loses its comma: either one more line out and in, or the diff
      // aligns it as a pure deletion.
      expect(report.removedLines - report.addedLines).toBe(report.oldEntryLines);
      expect(report.addedLines).toBeLessThanOrEqual(1);
    } else {
      expect([report.removedLines, report.addedLines]).toEqual([report.oldEntryLines, 0]);
    }
    expect(written.endsWith(style.eol)).toBe(style.finalNewline);
  });

  it.each(positions)('adds an entry after the %s one, rendered like its neighbours', (where, position) => {
    const anchor = keys[position] as string;
    const target = primaryWith(text, (root) => insertAt(root, position + 1, 'Brand New', newEntry(root.get(anchor) as LexValue, 'Brand New')));
    const { written, report } = write(text, target);
    if (where === 'last') {
      // The old last entry gains a comma: one line out and in, or aligned as a pure addition.
      expect(report.addedLines - report.removedLines).toBe(report.newEntryLines);
      expect(report.removedLines).toBeLessThanOrEqual(1);
    } else {
      expect([report.removedLines, report.addedLines]).toEqual([0, report.newEntryLines]);
    }
    const index = indexTopLevelObject(written);
    expect(index.members.map((m) => m.key)).toEqual([...keys.slice(0, position + 1), 'Brand New', ...keys.slice(position + 1)]);
    const member = index.byKey.get('Brand New');
    const entryText = written.slice(member?.keyStart, member?.valueEnd);
    expect(entryText).toContain('"weight": 1.0');
    expect(entryText).toContain(style.ensureAscii ? '"\\u00dcn\\u00efcode \\u2014 \\u2603 \\ud834\\udd1e"' : 'Ünïcode');
    // Key line at the file's member indent, nested lines by the file's unit, the file's EOL.
    expect(written.slice(0, member?.keyStart).endsWith(style.eol + style.memberIndent)).toBe(true);
    expect(entryText).toContain(`{${style.eol}${style.unit.repeat(2)}"name": "Brand New",${style.eol}`);
    if (style.kind !== 'hand') expect(isPythonDumpsText(written, style.unit === '\t' ? PY_INDENT_TAB : PY_INDENT4)).toBe(true);
  });

  it('adds an entry that comes first in PRIMARY before the first entry', () => {
    const target = primaryWith(text, (root) => insertAt(root, 0, 'Brand New', newEntry(root.get(keys[0] as string) as LexValue, 'Brand New')));
    const { written, report } = write(text, target);
    expect([report.removedLines, report.addedLines]).toEqual([0, report.newEntryLines]);
    expect(indexTopLevelObject(written).members[0]?.key).toBe('Brand New');
  });

  it('adds, removes and modifies at once, PRIMARY in another order', () => {
    const target = primaryWith(text, (root) => {
      const first = keys[0] as string;
      const last = keys[keys.length - 1] as string;
      set(root.get(first) as LexObject, pathKey, 'changed.bin');
      root.delete(last);
      const reversed = [...root].reverse();
      root.clear();
      for (const [k, v] of reversed) root.set(k, v);
      root.set('Appended', newEntry(root.get(first) as LexValue, 'Appended'));
    });
    const { written, changes } = write(text, target);
    expect(changes.added).toEqual(['Appended']);
    // 'Appended' follows the first file entry in PRIMARY's (reversed) order.
    const order = indexTopLevelObject(written).members.map((m) => m.key);
    expect(order.indexOf('Appended')).toBe(order.indexOf(keys[0] as string) + 1);
  });
});

describe('hand-formatted edits touch only the changed lines', () => {
  const controlnet = readFixture('controlnet.excerpt.json');

  it('one changed sha256 in controlnet: exactly 1 line out + 1 line in, CRLF kept', () => {
    const target = primaryWith(controlnet, (root) =>
      set(root, ['control_depth', 'config', 'files', 0, 'sha256sum'], 'ED33EC158B6EA3BF61494EE71ADC16D45886D5F6611D108345A184EBE7D08D81'),
    );
    const { written, report } = write(controlnet, target);
    expect([report.removedLines, report.addedLines]).toEqual([1, 1]);
    expect(splitLines(written).filter((line) => line.includes('ED33EC15'))).toEqual([
      '\t\t\t\t\t"sha256sum": "ED33EC158B6EA3BF61494EE71ADC16D45886D5F6611D108345A184EBE7D08D81"\r',
    ]);
  });

  it('removing the tab-indented first entry keeps the next 4-space key line', () => {
    const target = primaryWith(controlnet, (root) => root.delete('control_canny_sd2'));
    const { written, report } = write(controlnet, target);
    expect([report.removedLines, report.addedLines]).toEqual([28, 0]);
    expect(written.startsWith('{\r\n    "control_depth_sd2": {\r\n\t\t"name"')).toBe(true);
  });

  it('an added controlnet entry looks like its neighbours: 4-space key, tab body, CRLF', () => {
    const target = primaryWith(controlnet, (root) => {
      const entry = parseLex(pythonDumps(root.get('control_hed_sd2') as LexValue, PY_INDENT4)) as LexObject;
      entry.set('name', 'control_new');
      insertAt(root, 3, 'control_new', entry);
    });
    const { written } = write(controlnet, target);
    const original = splitLines(controlnet);
    const hed = original.findIndex((line) => line.startsWith('    "control_hed_sd2"'));
    const added = splitLines(written).slice(hed + 28, hed + 56);
    expect(added[0]).toBe('    "control_new": {\r');
    expect(added.slice(1)).toEqual([
      '\t\t"name": "control_new",\r',
      ...original.slice(hed + 2, hed + 28),
    ]);
  });

  it("blip's column-0 key line stays when its entry changes", () => {
    const blip = readFixture('blip.json');
    const target = primaryWith(blip, (root) => {
      set(root, ['BLIP', 'available'], true);
      set(root, ['BLIP', 'config', 'download', 0, 'file_url'], 'https://example.org/blip.pth');
    });
    const { written, report } = write(blip, target);
    expect([report.removedLines, report.addedLines]).toEqual([2, 2]);
    expect(written.startsWith('{\n"BLIP": {\n    "name": "BLIP",')).toBe(true);
  });

  it('clip: dropping its last three entries is a pure deletion (as in the real history)', () => {
    const clip = readFixture('clip.json');
    const target = primaryWith(clip, (root) => {
      for (const key of ['ViT-bigG-14', 'ViT-g-14', 'ViT-H-14']) root.delete(key);
    });
    const { written, report } = write(clip, target);
    expect([report.removedLines, report.addedLines]).toEqual([90, 0]);
    expect(written.endsWith('\t\t"available": false\n\t}\n}\n')).toBe(true);
  });

  it('nested: a key PRIMARY added goes after its predecessor, a dropped key goes with its comma', () => {
    const target = primaryWith(controlnet, (root) => {
      const entry = root.get('control_qr') as LexObject;
      const rebuilt: LexObject = new Map();
      // PRIMARY's order differs from the file's; only the content changes should show.
      for (const [k, v] of [...entry].reverse()) {
        if (k === 'nsfw') continue;
        rebuilt.set(k, v);
        if (k === 'style') rebuilt.set('baseline', 'stable diffusion 1');
      }
      root.set('control_qr', rebuilt);
    });
    const { written, report } = write(controlnet, target);
    expect([report.removedLines, report.addedLines]).toEqual([1, 1]);
    const lines = splitLines(written);
    const style = lines.findIndex((line, i) => i > 140 && line.startsWith('\t\t"style": "control_qr"'));
    expect(lines.slice(style, style + 3)).toEqual(['\t\t"style": "control_qr",\r', '\t\t"baseline": "stable diffusion 1",\r', '\t\t"download_all": true,\r']);
  });

  it('nested arrays: an element added, one removed, one changed', () => {
    const target = primaryWith(controlnet, (root) => {
      const files = at(root, ['control_canny', 'config', 'files']) as LexValue[];
      files.push(new Map<string, LexValue>([['path', 'extra.yaml']]));
      const download = at(root, ['control_depth', 'config', 'download']) as LexValue[];
      download.length = 0;
      set(root, ['control_hed_sd2', 'config', 'files', 1, 'path'], 'cldm_v21_fixed.yaml');
    });
    const { written, report } = write(controlnet, target);
    // canny: `}` gains a comma and 3 lines come; depth: `[ {…} ]` becomes `[]`; hed: 1 line.
    expect(report.addedLines).toBeLessThanOrEqual(4 + 1 + 1);
    expect(written).toContain('\t\t\t"download": []\r\n');
    expect(written).toContain('\t\t\t\t},\r\n\t\t\t\t{\r\n\t\t\t\t\t"path": "extra.yaml"\r\n\t\t\t\t}\r\n\t\t\t],');
  });

  it('a type change re-renders that value only', () => {
    const blip = readFixture('blip.json');
    const target = primaryWith(blip, (root) => set(root, ['BLIP_Large', 'config', 'files'], 'none'));
    const { written, report } = write(blip, target);
    expect(report.addedLines).toBe(1);
    expect(written).toContain('\n    "config": {\n      "files": "none",\n      "download": [');
  });
});

describe('Python semantics of rendered values', () => {
  const sd = readFixture('stable_diffusion.excerpt.json');

  it('ensure_ascii escapes, lowercase hex, surrogate pairs', () => {
    const target = primaryWith(sd, (root) => set(root, ['DucHaiten', 'description'], 'café — naïve 𝄞 "q" \\ \t'));
    const { written, report } = write(sd, target);
    expect([report.removedLines, report.addedLines]).toEqual([1, 1]);
    expect(written).toContain('"description": "caf\\u00e9 \\u2014 na\\u00efve \\ud834\\udd1e \\"q\\" \\\\ \\t",\n');
    expect(isPythonDumpsText(written, PY_INDENT4)).toBe(true);
  });

  it('keeps the file spelling 1.0 when PRIMARY says 1, and writes PRIMARY 1.0 as 1.0', () => {
    const root = parseLex(sd) as LexObject;
    set(root, ['Flux.1-Schnell fp8 (Compact)', 'requirements', 'cfg_scale'], new LexNumber('1.0'));
    const file = pythonDumps(root, PY_INDENT4) + '\n';
    const target = primaryWith(file, (primary) => {
      set(primary, ['Flux.1-Schnell fp8 (Compact)', 'requirements', 'cfg_scale'], new LexNumber('1'));
      set(primary, ['Flux.1-Schnell fp8 (Compact)', 'requirements', 'min_steps'], new LexNumber('4.0'));
    });
    expect(target).toContain('"cfg_scale": 1\n');
    const { written, report } = write(file, target);
    expect([report.removedLines, report.addedLines]).toEqual([1, 1]);
    expect(written).toContain('"min_steps": 4.0,\n');
    expect(written).toContain('"cfg_scale": 1.0\n');
    // The same through the in-place editor.
    const changes = computeChanges(file, target);
    const hand = writeJsonEntries(file, target, changes, { style: { ...detectJsonStyle(file), kind: 'hand' } });
    expect(hand).toBe(written);
  });

  it('py files: the in-place editor writes what re-rendering writes', () => {
    const target = primaryWith(sd, (root) => {
      const entry = root.get('DreamShaper XL') as LexObject;
      (at(entry, ['requirements', 'samplers']) as LexValue[]).push('k_euler');
      (entry.get('config') as LexObject).delete('download');
      entry.set('tags', ['x', new Map<string, LexValue>([['deep', []]])]);
    });
    const changes = computeChanges(sd, target);
    const rendered = writeJsonEntries(sd, target, changes);
    const inPlace = writeJsonEntries(sd, target, changes, { style: { ...detectJsonStyle(sd), kind: 'hand' } });
    expect(inPlace).toBe(rendered);
    expectGoodWrite(sd, target, rendered, changes);
    expect(isPythonDumpsText(rendered, PY_INDENT4)).toBe(true);
  });
});

describe('empty objects', () => {
  const entry = new Map<string, LexValue>([
    ['name', 'a'],
    ['size', new LexNumber('2.0')],
  ]);
  const primary = primaryText(new Map([['a', entry]]));

  it.each([
    ['{}\n', '{\n    "a": {\n        "name": "a",\n        "size": 2.0\n    }\n}\n'],
    ['{}', '{\n    "a": {\n        "name": "a",\n        "size": 2.0\n    }\n}'],
    ['{\r\n}\r\n', '{\r\n    "a": {\r\n        "name": "a",\r\n        "size": 2.0\r\n    }\r\n}\r\n'],
  ])('first insertion into %j', (file, expected) => {
    expect(writeJsonEntries(file, primary, { added: ['a'], removed: [], modified: [] })).toBe(expected);
  });

  it('removing every entry leaves {}', () => {
    const esrgan = readFixture('esrgan.json');
    const keys = [...indexTopLevelObject(esrgan).byKey.keys()];
    expect(writeJsonEntries(esrgan, '{}', { added: [], removed: keys, modified: [] })).toBe('{}\n');
    const controlnet = readFixture('controlnet.excerpt.json');
    const all = [...indexTopLevelObject(controlnet).byKey.keys()];
    expect(writeJsonEntries(controlnet, '{}', { added: [], removed: all, modified: [] })).toBe('{}\r\n');
  });

  it('replacing every entry keeps the layout', () => {
    const blip = readFixture('blip.json');
    const written = writeJsonEntries(blip, primary, { added: ['a'], removed: ['BLIP', 'BLIP_Large'], modified: [] });
    expect(written).toBe('{\n  "a": {\n    "name": "a",\n    "size": 2.0\n  }\n}\n');
  });
});

describe('bad input', () => {
  const blip = readFixture('blip.json');

  it('rejects changes that do not fit the texts', () => {
    const target = primaryText(blip);
    expect(() => writeJsonEntries(blip, target, { added: ['BLIP'], removed: ['nope'], modified: ['ghost'] })).toThrow(EntryChangesError);
    try {
      writeJsonEntries(blip, target, { added: ['BLIP'], removed: [], modified: ['BLIP'] });
    } catch (error) {
      expect((error as EntryChangesError).problems).toEqual([
        'added "BLIP" is in the file, in PRIMARY',
        '"BLIP" is listed twice',
      ]);
    }
  });

  it('rejects an index built from another text', () => {
    const target = primaryText(blip);
    expect(() =>
      writeJsonEntries(blip, target, { added: [], removed: [], modified: ['BLIP'] }, { current: indexTopLevelObject(target) }),
    ).toThrow(/another text/);
  });

  it('rejects invalid JSON', () => {
    expect(() => writeJsonEntries('{"a": [1,}', '{"a": 2}', { added: [], removed: [], modified: ['a'] })).toThrow();
    expect(() => writeJsonEntries('[]', '{"a": 2}', { added: ['a'], removed: [], modified: [] })).toThrow(/array/);
  });

  it('touch report catches a line changed outside the changed entries', () => {
    const changed = blip.replace('"name": "BLIP_Large"', '"name": "X"');
    expect(touchReport(blip, changed, { added: [], removed: [], modified: ['BLIP'] }).outsideChange).not.toBeNull();
  });
});

describe('unusual layouts', () => {
  const entry = (name: string): LexObject => new Map<string, LexValue>([['name', name], ['n', new LexNumber('1')]]);

  it('blank lines between entries stay', () => {
    const file = '{\n  "a": {\n    "name": "a"\n  },\n\n  "b": {\n    "name": "b"\n  },\n\n  "c": {\n    "name": "c"\n  }\n}\n';
    const added = primaryWith(file, (root) => insertAt(root, 1, 'x', entry('x')));
    const { written } = write(file, added);
    expect(written).toBe(file.replace('\n\n  "b"', '\n\n  "x": {\n    "name": "x",\n    "n": 1\n  },\n  "b"'));
    // Removing "b" takes one of the two blank lines around it with it, not both, not none.
    const removed = primaryWith(file, (root) => root.delete('b'));
    expect(writeJsonEntries(file, removed, computeChanges(file, removed))).toBe('{\n  "a": {\n    "name": "a"\n  },\n\n  "c": {\n    "name": "c"\n  }\n}\n');
  });

  it('a one-line object of entries', () => {
    const file = '{"a": {"name": "a", "n": 1}, "b": {"name": "b", "n": 2}, "c": 3}';
    const target = primaryWith(file, (root) => {
      root.delete('a');
      (root.get('b') as LexObject).set('n', new LexNumber('5'));
      root.set('d', 'new');
    });
    expect(write(file, target).written).toBe('{"b": {"name": "b", "n": 5}, "c": 3, "d": "new"}');
  });

  it('inline nested objects and arrays are edited inline', () => {
    const file = '{\n  "a": {"name": "a", "tags": ["x", "y"], "size": 1},\n  "b": {"name": "b"}\n}\n';
    const target = primaryWith(file, (root) => {
      const a = root.get('a') as LexObject;
      (a.get('tags') as LexValue[]).splice(1, 0, 'new');
      a.delete('size');
      a.set('extra', false);
    });
    expect(write(file, target).written).toBe('{\n  "a": {"name": "a", "tags": ["x", "new", "y"], "extra": false},\n  "b": {"name": "b"}\n}\n');
  });

  it('a byte-order mark is kept and does not turn off ensure_ascii', () => {
    const file = '\ufeff' + readFixture('esrgan.json');
    expect(detectJsonStyle(file)).toMatchObject({ kind: 'hand', ensureAscii: true, memberIndent: '\t', unit: '\t' });
    const key = [...indexTopLevelObject(file).byKey.keys()][0] as string;
    const target = primaryWith(file.slice(1), (root) => set(root.get(key) as LexObject, ['description'], 'é'));
    const written = writeJsonEntries(file, target, { added: [], removed: [], modified: [key] });
    expect(written).toBe(file.replace(/"description": "[^"]*"/, '"description": "\\u00e9"'));
  });
});
