/**
 * Where a key that PRIMARY has and the file lacks goes: right after the nearest key before it (in
 * PRIMARY's order) that the file keeps, else right before the nearest kept key after it, else at
 * the end. The file's own order is never changed. Two linear passes over PRIMARY's keys.
 */

export type Placement =
  | { readonly after: string }
  | { readonly before: string }
  | { readonly atEnd: true };

export interface PlacedKey {
  readonly key: string;
  readonly placement: Placement;
}

/**
 * `targetKeys` is PRIMARY's key order, `isNew` says which keys are inserted and `isKept` which
 * ones stay in the file (and can therefore anchor an insertion). Returns the new keys in order.
 */
export function placeNewKeys(
  targetKeys: readonly string[],
  isNew: (key: string) => boolean,
  isKept: (key: string) => boolean,
): PlacedKey[] {
  const nextKept: Array<string | undefined> = new Array<string | undefined>(targetKeys.length);
  let following: string | undefined;
  for (let i = targetKeys.length - 1; i >= 0; i--) {
    nextKept[i] = following;
    const key = targetKeys[i] as string;
    if (isKept(key)) following = key;
  }
  const placed: PlacedKey[] = [];
  let preceding: string | undefined;
  targetKeys.forEach((key, i) => {
    if (isNew(key)) {
      const next = nextKept[i];
      const placement: Placement =
        preceding !== undefined ? { after: preceding } : next !== undefined ? { before: next } : { atEnd: true };
      placed.push({ key, placement });
    } else if (isKept(key)) {
      preceding = key;
    }
  });
  return placed;
}
