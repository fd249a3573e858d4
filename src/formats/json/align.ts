/**
 * Lines up the elements of a file's array with PRIMARY's array: equal elements are kept (with
 * their bytes), and what lies between two kept elements is paired up in order as modified
 * elements, the surplus removed or added. This is how a person edits a list: change the element
 * that changed, not delete-and-reinsert it.
 */

export type AlignOp =
  | { readonly kind: 'keep'; readonly from: number; readonly to: number }
  | { readonly kind: 'modify'; readonly from: number; readonly to: number }
  | { readonly kind: 'remove'; readonly from: number }
  | { readonly kind: 'add'; readonly to: number };

/** Above this many cells the LCS table is skipped and the middle is paired by position. */
const MAX_LCS_CELLS = 1_000_000;

/** Alignment of `from` elements (indices 0..fromLength-1) with `to` elements, in order. */
export function alignSequences(fromLength: number, toLength: number, equal: (from: number, to: number) => boolean): AlignOp[] {
  let head = 0;
  while (head < fromLength && head < toLength && equal(head, head)) head++;
  let tail = 0;
  while (tail < fromLength - head && tail < toLength - head && equal(fromLength - 1 - tail, toLength - 1 - tail)) tail++;
  const ops: AlignOp[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: 'keep', from: i, to: i });
  const midFrom = fromLength - head - tail;
  const midTo = toLength - head - tail;
  const matches =
    midFrom > 0 && midTo > 0 && (midFrom + 1) * (midTo + 1) <= MAX_LCS_CELLS
      ? longestCommonSubsequence(head, midFrom, head, midTo, equal)
      : [];
  let from = head;
  let to = head;
  for (const [matchFrom, matchTo] of [...matches, [head + midFrom, head + midTo] as const]) {
    pairGap(ops, from, matchFrom, to, matchTo);
    if (matchFrom < head + midFrom) ops.push({ kind: 'keep', from: matchFrom, to: matchTo });
    from = matchFrom + 1;
    to = matchTo + 1;
  }
  for (let i = 0; i < tail; i++) ops.push({ kind: 'keep', from: fromLength - tail + i, to: toLength - tail + i });
  return ops;
}

function pairGap(ops: AlignOp[], from: number, fromEnd: number, to: number, toEnd: number): void {
  while (from < fromEnd && to < toEnd) ops.push({ kind: 'modify', from: from++, to: to++ });
  while (from < fromEnd) ops.push({ kind: 'remove', from: from++ });
  while (to < toEnd) ops.push({ kind: 'add', to: to++ });
}

/** Matched index pairs of an LCS of the two ranges (classic table; arrays here are short). */
function longestCommonSubsequence(
  fromStart: number,
  fromLength: number,
  toStart: number,
  toLength: number,
  equal: (from: number, to: number) => boolean,
): Array<readonly [number, number]> {
  const width = toLength + 1;
  const table = new Uint32Array((fromLength + 1) * width);
  for (let i = fromLength - 1; i >= 0; i--) {
    for (let j = toLength - 1; j >= 0; j--) {
      table[i * width + j] = equal(fromStart + i, toStart + j)
        ? (table[(i + 1) * width + j + 1] ?? 0) + 1
        : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    }
  }
  const pairs: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < fromLength && j < toLength) {
    if (equal(fromStart + i, toStart + j)) {
      pairs.push([fromStart + i, toStart + j]);
      i++;
      j++;
    } else if ((table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0)) i++;
    else j++;
  }
  return pairs;
}
