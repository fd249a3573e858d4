/**
 * Removes and inserts items of one JSON object or array (the top-level object of entries, or a
 * list nested inside an entry) with edits confined to the gaps between the items that stay.
 *
 * The items that stay are never touched, except that the last one gains or loses its trailing
 * comma when items are appended after it or the items after it are all removed. Each gap between
 * two kept items is rewritten with one edit:
 * - line layout (each item starts its own line and its comma ends it): whole lines are deleted
 *   and whole lines inserted, so the diff shows exactly the removed and the added items, and the
 *   next kept item keeps its own indent (controlnet's 4-space and tab keys stay as they are);
 * - inline layout (`[1, 2]`): the gap's own separator text is reused.
 * A list left with no items becomes `{}` / `[]`, as Python writes empty containers.
 */
import { lineIndent, lineIndentIfOwnLine, lineStart, nextLineAfterComma } from './lines.js';
import type { TextEdit } from './text-edits.js';

export interface ListItem {
  /** The key's opening quote for an object member, the value's first character in an array. */
  readonly start: number;
  /** Just past the value. */
  readonly end: number;
}

/** Where an inserted item goes, by index into `items` (the anchor item must be kept). */
export type ListAnchor = { readonly after: number } | { readonly before: number } | { readonly atEnd: true };

export interface ListInsert {
  readonly anchor: ListAnchor;
  /** The item's text (`"key": value` or a value); continuation lines already indented. */
  readonly text: string;
}

export interface ListSplice {
  readonly text: string;
  /** Offsets of the container's opening and closing bracket. */
  readonly open: number;
  readonly close: number;
  readonly items: readonly ListItem[];
  /** Indices into `items` of the items to delete. */
  readonly removed: ReadonlySet<number>;
  readonly inserts: readonly ListInsert[];
  readonly eol: string;
  /** Indent for inserted items; when absent, the neighbouring kept item's indent. */
  readonly itemIndent?: string;
  /** Indent for inserted items that have no neighbour to copy from. */
  readonly defaultIndent: string;
}

interface Region {
  removed: number[];
  after: string[];
  before: string[];
  atEnd: string[];
}

export function spliceList(splice: ListSplice): TextEdit[] {
  const { items, removed } = splice;
  if (removed.size === 0 && splice.inserts.length === 0) return [];
  // Position of each item among the kept ones (-1 when removed), to map anchors to gaps.
  const keptPosition = new Int32Array(items.length);
  const kept: number[] = [];
  const regions = new Map<number, Region>();
  const region = (position: number): Region => {
    let found = regions.get(position);
    if (!found) {
      found = { removed: [], after: [], before: [], atEnd: [] };
      regions.set(position, found);
    }
    return found;
  };
  for (let i = 0; i < items.length; i++) {
    if (removed.has(i)) {
      keptPosition[i] = -1;
      region(kept.length - 1).removed.push(i);
    } else {
      keptPosition[i] = kept.length;
      kept.push(i);
    }
  }
  for (const insert of splice.inserts) {
    const { anchor } = insert;
    if ('after' in anchor) region(keptAnchor(keptPosition, anchor.after)).after.push(insert.text);
    else if ('before' in anchor) region(keptAnchor(keptPosition, anchor.before) - 1).before.push(insert.text);
    else region(kept.length - 1).atEnd.push(insert.text);
  }
  if (kept.length === 0) return replaceAll(splice, region(-1));
  const edits: TextEdit[] = [];
  for (const [position, gap] of regions) {
    const texts = [...gap.after, ...gap.before, ...gap.atEnd];
    if (texts.length === 0 && gap.removed.length === 0) continue;
    const previous = position >= 0 ? kept[position] : undefined;
    const next = kept[position + 1];
    if (previous === undefined) edits.push(startGap(splice, next as number, texts));
    else if (next === undefined) edits.push(endGap(splice, previous, texts));
    else edits.push(middleGap(splice, previous, next, gap.removed, texts));
  }
  return edits;
}

function keptAnchor(keptPosition: Int32Array, index: number): number {
  const position = keptPosition[index];
  if (position === undefined || position < 0) throw new RangeError(`insert anchored on an item that is not kept: ${index}`);
  return position;
}

/** Separator text between item `index` and the next one, or `fallback` when there is none. */
function gapAfter(splice: ListSplice, index: number, fallback: string): string {
  const current = splice.items[index];
  const following = splice.items[index + 1];
  return current && following ? splice.text.slice(current.end, following.start) : fallback;
}

function linesOf(texts: readonly string[], indent: string, eol: string): string {
  return texts.map((item) => indent + item + ',' + eol).join('');
}

/** Gap before the first kept item `next` (removed items before it, new items placed before it). */
function startGap(splice: ListSplice, next: number, texts: readonly string[]): TextEdit {
  const { text, items } = splice;
  const first = items[0] as ListItem;
  const nextItem = items[next] as ListItem;
  const nextIndent = lineIndentIfOwnLine(text, nextItem.start);
  if (nextIndent !== undefined && lineIndentIfOwnLine(text, first.start) !== undefined) {
    const from = lineStart(text, first.start);
    const to = lineStart(text, nextItem.start);
    return { offset: from, length: to - from, content: linesOf(texts, splice.itemIndent ?? nextIndent, splice.eol) };
  }
  const separator = gapAfter(splice, 0, ', ');
  return {
    offset: first.start,
    length: nextItem.start - first.start,
    content: texts.map((item) => item + separator).join(''),
  };
}

/** Gap between kept items `previous` and `next`, holding the `removed` items (indices). */
function middleGap(splice: ListSplice, previous: number, next: number, removed: readonly number[], texts: readonly string[]): TextEdit {
  const { text, items } = splice;
  const previousItem = items[previous] as ListItem;
  const nextItem = items[next] as ListItem;
  const firstRemoved = removed[0] === undefined ? undefined : (items[removed[0]] as ListItem);
  const nextIndent = lineIndentIfOwnLine(text, nextItem.start);
  if (
    nextLineAfterComma(text, previousItem.end) !== -1 &&
    nextIndent !== undefined &&
    (firstRemoved === undefined || lineIndentIfOwnLine(text, firstRemoved.start) !== undefined)
  ) {
    // From the first removed item's line (or the next item's line): lines between the kept items
    // that are not items (a blank line) stay where they are.
    const from = lineStart(text, (firstRemoved ?? nextItem).start);
    const to = lineStart(text, nextItem.start);
    const indent = splice.itemIndent ?? lineIndentIfOwnLine(text, previousItem.start) ?? nextIndent;
    return { offset: from, length: to - from, content: linesOf(texts, indent, splice.eol) };
  }
  const separator = gapAfter(splice, previous, ', ');
  return {
    offset: previousItem.end,
    length: nextItem.start - previousItem.end,
    content: separator + texts.map((item) => item + separator).join(''),
  };
}

/** Gap after the last kept item `previous`: its trailing comma comes or goes with what follows. */
function endGap(splice: ListSplice, previous: number, texts: readonly string[]): TextEdit {
  const { text, items } = splice;
  const previousItem = items[previous] as ListItem;
  const last = items[items.length - 1] as ListItem;
  let separator: string;
  if (isMultiline(splice)) {
    const indent = splice.itemIndent ?? lineIndentIfOwnLine(text, previousItem.start) ?? splice.defaultIndent;
    separator = ',' + splice.eol + indent;
  } else {
    separator = gapAfter(splice, previous, gapAfter(splice, 0, ', '));
  }
  return {
    offset: previousItem.end,
    length: last.end - previousItem.end,
    content: texts.map((item) => separator + item).join(''),
  };
}

/** No item is kept: the container is emptied or rebuilt from the inserted items. */
function replaceAll(splice: ListSplice, gap: Region): TextEdit[] {
  const { text, items, open, close, eol } = splice;
  const texts = [...gap.after, ...gap.before, ...gap.atEnd];
  if (texts.length === 0) {
    return items.length === 0 ? [] : [{ offset: open + 1, length: close - open - 1, content: '' }];
  }
  const first = items[0];
  if (first && !isMultiline(splice)) {
    const last = items[items.length - 1] as ListItem;
    return [{ offset: first.start, length: last.end - first.start, content: texts.join(gapAfter(splice, 0, ', ')) }];
  }
  const indent =
    splice.itemIndent ?? (first ? lineIndentIfOwnLine(text, first.start) : undefined) ?? splice.defaultIndent;
  // The closing bracket goes where it was when it had its own line, else under the opening line.
  const closeIndent = lineIndentIfOwnLine(text, close) ?? lineIndent(text, open);
  const content = texts.map((item) => eol + indent + item).join(',') + eol + closeIndent;
  return [{ offset: open + 1, length: close - open - 1, content }];
}

/** Empty containers count as multi-line: Python expands a list that gains items. */
function isMultiline(splice: ListSplice): boolean {
  const first = splice.items[0];
  return first === undefined || splice.text.slice(splice.open + 1, first.start).includes('\n');
}
