/**
 * Lines touched by a change, as `git diff` would count them: deleted plus inserted lines of a
 * longest-common-subsequence alignment. Lines keep their terminators, so a CRLF→LF rewrite touches all.
 */
export function linesTouched(before: string, after: string): number {
  const a = splitLines(before);
  const b = splitLines(after);
  // Trim the common prefix and suffix first; the DP then only covers the changed middle.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  let previous = new Uint32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    const row = new Uint32Array(y.length + 1);
    for (let j = 1; j <= y.length; j++) {
      row[j] = x[i - 1] === y[j - 1] ? (previous[j - 1] as number) + 1 : Math.max(previous[j] as number, row[j - 1] as number);
    }
    previous = row;
  }
  const common = previous[y.length] as number;
  return x.length - common + (y.length - common);
}

/** Lines with their terminators, so a missing final newline also counts as a change. */
export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}
