/**
 * Seeded random drift on the fixtures: entries added, removed and modified (scalar changes, sha
 * case flips, nested keys added and removed, array elements changed), PRIMARY's top-level and
 * per-entry key order shuffled. Every write must hold exactly PRIMARY's entries and leave every
 * other entry's bytes in place.
 */
import { describe, expect, it } from 'vitest';
import { LexNumber, parseLex, type LexObject, type LexValue } from '../../../src/formats/json/lex-value.js';
import { isPythonDumpsText } from '../../../src/formats/json/python-check.js';
import { pythonDumps, PY_INDENT4 } from '../../../src/formats/json/python-json.js';
import { detectJsonStyle, dumpOptions } from '../../../src/formats/json/style.js';
import { hasMismatches, verifyWrittenEntries } from '../../../src/formats/json/verify.js';
import { writeJsonEntries } from '../../../src/formats/json/write-entries.js';
import { changeCount, computeChanges, expectGoodWrite, primaryText, prng, readFixture } from './helpers.js';

type Path = Array<string | number>;
type Random = () => number;

const FIXTURES: ReadonlyArray<readonly [string, string]> = [
  ['stable_diffusion', readFixture('stable_diffusion.excerpt.json')],
  ['esrgan', readFixture('esrgan.json')],
  ['blip', readFixture('blip.json')],
  ['clip', readFixture('clip.json')],
  ['controlnet', readFixture('controlnet.excerpt.json')],
  ['blip, no final newline', readFixture('blip.json').slice(0, -1)],
  ['stable_diffusion, no final newline', readFixture('stable_diffusion.excerpt.json').slice(0, -1)],
];
const SEEDS_PER_FIXTURE = 30;

const pick = <T,>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const clone = (value: LexValue): LexValue => parseLex(pythonDumps(value, PY_INDENT4));

function get(root: LexValue, path: Path): LexValue {
  let node = root;
  for (const step of path) node = (typeof step === 'number' ? (node as LexValue[])[step] : (node as LexObject).get(step)) as LexValue;
  return node;
}

function walk(value: LexValue, path: Path, visit: (value: LexValue, path: Path) => void): void {
  visit(value, path);
  if (value instanceof Map) for (const [key, child] of value) walk(child, [...path, key], visit);
  else if (Array.isArray(value)) value.forEach((child, i) => walk(child, [...path, i], visit));
}

function randomValue(random: Random, depth = 0): LexValue {
  const kind = Math.floor(random() * (depth < 2 ? 9 : 6));
  switch (kind) {
    case 0:
      return pick(random, ['plain', 'café ☃', 'astral 𝄞', 'quote " and \\ backslash', '']);
    case 1:
      return new LexNumber(pick(random, ['1.0', '3', '2.5', '1e2', '-7']));
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return [];
    case 5:
      return new Map();
    case 6:
      return [randomValue(random, depth + 1), randomValue(random, depth + 1)];
    default:
      return new Map([
        ['k', randomValue(random, depth + 1)],
        ['n', new LexNumber('1.0')],
      ]);
  }
}

function changedScalar(random: Random, value: LexValue): LexValue {
  if (typeof value === 'string') {
    if (/^[0-9a-fA-F]{64}$/.test(value)) return value === value.toUpperCase() ? value.toLowerCase() : value.toUpperCase();
    return value + pick(random, ['-v2', ' é', ' 𝄞', ' "q"', '/\\']);
  }
  if (value instanceof LexNumber) return new LexNumber(pick(random, [String(value.value + 1), '1.0', '0.5']));
  if (typeof value === 'boolean') return !value;
  return 'was null';
}

interface Drift {
  /** Distinct scalar paths changed (each is one line in these layouts); -1 when other edits happened. */
  scalarLines: number;
}

/** Modifies one entry of PRIMARY in place; returns false when it only did structural edits. */
function modifyEntry(random: Random, entry: LexObject, scalarPaths: Set<string>, scalarsOnly: boolean): boolean {
  const scalars: Path[] = [];
  const objects: Path[] = [];
  const arrays: Path[] = [];
  const hashes: Path[] = [];
  walk(entry, [], (value, path) => {
    if (value instanceof Map) objects.push(path);
    else if (Array.isArray(value)) arrays.push(path);
    else {
      scalars.push(path);
      if (path[path.length - 1] === 'sha256sum') hashes.push(path);
    }
  });
  const operation = pick(random, scalarsOnly ? ['scalar', 'sha'] : ['scalar', 'scalar', 'sha', 'addKey', 'removeKey', 'array']);
  if (operation === 'scalar' || (operation === 'sha' && hashes.length > 0)) {
    const path = pick(random, operation === 'sha' ? hashes : scalars);
    const parent = get(entry, path.slice(0, -1));
    const last = path[path.length - 1] as string | number;
    const value = changedScalar(random, get(entry, path));
    if (typeof last === 'number') (parent as LexValue[])[last] = value;
    else (parent as LexObject).set(last, value);
    scalarPaths.add(JSON.stringify(path));
    return true;
  }
  if (operation === 'addKey' || operation === 'sha') {
    const target = get(entry, pick(random, objects)) as LexObject;
    const entries = [...target];
    entries.splice(Math.floor(random() * (entries.length + 1)), 0, [`extra_${Math.floor(random() * 1000)}`, randomValue(random)]);
    target.clear();
    for (const [k, v] of entries) target.set(k, v);
    return false;
  }
  if (operation === 'removeKey') {
    const target = get(entry, pick(random, objects)) as LexObject;
    const keys = [...target.keys()].filter((key) => key !== 'name');
    if (keys.length > 0) target.delete(pick(random, keys));
    return false;
  }
  if (arrays.length === 0) return false;
  const list = get(entry, pick(random, arrays)) as LexValue[];
  const what = random();
  if (what < 0.35 || list.length === 0) list.splice(Math.floor(random() * (list.length + 1)), 0, randomValue(random));
  else if (what < 0.7) list.splice(Math.floor(random() * list.length), 1);
  else list[Math.floor(random() * list.length)] = randomValue(random);
  return false;
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** PRIMARY's body after random drift from `text`. */
function drift(random: Random, text: string, scalarsOnly: boolean): { target: string } & Drift {
  const root = parseLex(text) as LexObject;
  const keys = [...root.keys()];
  let onlyScalars = true;
  const scalarPaths = new Set<string>();
  const modifiedCount = scalarsOnly ? 1 + Math.floor(random() * 3) : Math.floor(random() * 4);
  for (let i = 0; i < modifiedCount; i++) {
    const key = pick(random, keys);
    const perEntry = new Set<string>();
    if (!modifyEntry(random, root.get(key) as LexObject, perEntry, scalarsOnly)) onlyScalars = false;
    for (const path of perEntry) scalarPaths.add(key + path);
  }
  const removeCount = scalarsOnly ? 0 : Math.floor(random() * 3);
  for (let i = 0; i < removeCount && root.size > 1; i++) {
    root.delete(pick(random, [...root.keys()]));
    onlyScalars = false;
  }
  let entries = [...root];
  const addCount = scalarsOnly ? 0 : Math.floor(random() * 3);
  for (let i = 0; i < addCount; i++) {
    const [, template] = pick(random, entries);
    const entry = clone(template) as LexObject;
    const name = `Added ${i} ${Math.floor(random() * 1e6)}`;
    entry.set('name', name);
    entries.splice(Math.floor(random() * (entries.length + 1)), 0, [name, entry]);
    onlyScalars = false;
  }
  // Cosmetic differences that are not changes: PRIMARY's entry order and key order.
  if (random() < 0.3) entries = shuffle(random, entries);
  for (const [, entry] of entries) {
    if (random() < 0.2 && entry instanceof Map) {
      const reordered = shuffle(random, [...entry]);
      entry.clear();
      for (const [k, v] of reordered) entry.set(k, v);
    }
  }
  const target = primaryText(new Map(entries));
  if (!onlyScalars) return { target, scalarLines: -1 };
  const original = parseLex(text) as LexObject;
  // A scalar changed twice may be back to its old value.
  const scalarLines = [...scalarPaths].filter((tagged) => {
    const key = keys.find((k) => tagged.startsWith(k + '[')) as string;
    const path = JSON.parse(tagged.slice(key.length)) as Path;
    return JSON.stringify(get(original.get(key) as LexValue, path)) !== JSON.stringify(get(new Map(entries).get(key) as LexValue, path));
  }).length;
  return { target, scalarLines };
}

describe.each(FIXTURES)('random drift on %s', (_, text) => {
  const style = detectJsonStyle(text);
  const seeds = Array.from({ length: SEEDS_PER_FIXTURE }, (__, i) => 1000 + i);
  it.each(seeds)('seed %i', (seed) => {
    const random = prng(seed);
    // One case in four changes only scalars, where the exact line count is known.
    const { target, scalarLines } = drift(random, text, seed % 4 === 0);
    const changes = computeChanges(text, target);
    const written = writeJsonEntries(text, target, changes);
    if (changeCount(changes) === 0) {
      expect(written).toBe(text);
      return;
    }
    const report = expectGoodWrite(text, target, written, changes);
    expect(hasMismatches(verifyWrittenEntries(written, target))).toBe(false);
    if (scalarLines >= 0) expect([report.removedLines, report.addedLines]).toEqual([scalarLines, scalarLines]);
    if (style.kind !== 'hand') {
      // Still exactly Python's output, and the in-place editor agrees byte for byte.
      expect(isPythonDumpsText(written, dumpOptions(style))).toBe(true);
      expect(writeJsonEntries(text, target, changes, { style: { ...style, kind: 'hand' } })).toBe(written);
    }
  });
});
