/**
 * PRIMARY's value of an entry, rearranged to keep what the file already has: the file's key order
 * at every level (new keys go after the key they follow in PRIMARY), and the file's own subtrees
 * wherever they are equal as values (so `1.0` versus `1`, or a reordered object, is not rewritten).
 * Rendering the result with `pythonDumps` gives what a person would write into a py4/pytab file.
 */
import { alignSequences } from './align.js';
import { lexEqual } from './lex-equal.js';
import type { LexObject, LexValue } from './lex-value.js';
import { placeNewKeys } from './placement.js';

export function reconcileValue(current: LexValue, target: LexValue): LexValue {
  if (lexEqual(current, target)) return current;
  if (current instanceof Map && target instanceof Map) return reconcileObject(current, target);
  if (Array.isArray(current) && Array.isArray(target)) {
    return alignSequences(current.length, target.length, (i, j) => lexEqual(current[i] as LexValue, target[j] as LexValue))
      .filter((op) => op.kind !== 'remove')
      .map((op) => {
        if (op.kind === 'keep') return current[op.from] as LexValue;
        if (op.kind === 'modify') return reconcileValue(current[op.from] as LexValue, target[op.to] as LexValue);
        return target[op.to] as LexValue;
      });
  }
  return target;
}

function reconcileObject(current: LexObject, target: LexObject): LexObject {
  const after = new Map<string, string[]>();
  const before = new Map<string, string[]>();
  const atEnd: string[] = [];
  const placed = placeNewKeys([...target.keys()], (key) => !current.has(key), (key) => current.has(key));
  for (const { key, placement } of placed) {
    if ('after' in placement) push(after, placement.after, key);
    else if ('before' in placement) push(before, placement.before, key);
    else atEnd.push(key);
  }
  const result: LexObject = new Map();
  const take = (key: string): void => {
    result.set(key, target.get(key) as LexValue);
  };
  for (const [key, value] of current) {
    const wanted = target.get(key);
    if (wanted === undefined) continue; // dropped by PRIMARY
    before.get(key)?.forEach(take);
    result.set(key, reconcileValue(value, wanted));
    after.get(key)?.forEach(take);
  }
  atEnd.forEach(take);
  return result;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
