/**
 * Byte-range edits in jsonc-parser's `{offset, length, content}` shape, applied in one pass.
 * jsonc-parser's own `applyEdits` rebuilds the whole string once per edit, which is quadratic on a
 * 20 MB file with many changed entries; this joins the untouched slices once.
 */
import type { Edit } from 'jsonc-parser';

export type TextEdit = Edit;

/**
 * Applies non-overlapping edits. Inserts (length 0) at the same offset keep their given order and
 * go before a replacement that starts there. Throws when two edits overlap (a writer bug).
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  const sorted = edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => a.edit.offset - b.edit.offset || a.edit.length - b.edit.length || a.order - b.order)
    .map(({ edit }) => edit);
  const parts: string[] = [];
  let done = 0;
  for (const edit of sorted) {
    if (edit.offset < done || edit.length < 0 || edit.offset + edit.length > text.length) {
      throw new RangeError(`overlapping or out-of-range edit at offset ${edit.offset}`);
    }
    parts.push(text.slice(done, edit.offset), edit.content);
    done = edit.offset + edit.length;
  }
  parts.push(text.slice(done));
  return parts.join('');
}
