/**
 * Line helpers for splicing: the writers delete and insert whole lines whenever the layout allows,
 * so the diff shows only the lines of the entries that changed. All of them look at one line only
 * (never scan the file), which keeps the writers linear on 20 MB files. CRLF needs no special
 * case: a line starts after '\n' either way.
 */

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Offset of the first character of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The leading spaces/tabs of `offset`'s line when only they precede `offset`; else undefined. */
export function lineIndentIfOwnLine(text: string, offset: number): string | undefined {
  const start = lineStart(text, offset);
  for (let i = start; i < offset; i++) if (!isBlank(text.charCodeAt(i))) return undefined;
  return text.slice(start, offset);
}

/** The leading spaces/tabs of the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = lineStart(text, offset);
  let end = start;
  while (end < text.length && isBlank(text.charCodeAt(end))) end++;
  return text.slice(start, end);
}

/**
 * When `end` is followed, on its line, only by blanks, one comma and blanks: the offset just past
 * that line's line break. Otherwise -1 (the next item or a bracket shares the line).
 */
export function nextLineAfterComma(text: string, end: number): number {
  let i = end;
  while (isBlank(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x2c) return -1;
  i++;
  while (isBlank(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 0x0d) i++;
  return text.charCodeAt(i) === 0x0a ? i + 1 : -1;
}
