/**
 * Edits one value of a hand-formatted file in place, so that only the lines whose content changed
 * are touched: a changed scalar is replaced where it stands (a new sha256sum changes one line),
 * object members and array elements are removed and inserted with `spliceList`, and everything
 * equal as a value keeps its bytes. Only a value whose type changes is re-rendered whole.
 */
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { alignSequences } from './align.js';
import { lexEqual } from './lex-equal.js';
import { fromNode, type LexObject, type LexValue } from './lex-value.js';
import { spliceList, type ListAnchor, type ListInsert } from './list-splice.js';
import { placeNewKeys } from './placement.js';
import { renderMember, renderValue, type RenderStyle } from './render.js';
import type { TextEdit } from './text-edits.js';

export interface InPlaceTarget {
  /** The whole file text (edits and line lookups use its offsets). */
  readonly text: string;
  /** Offsets of the value to edit within `text`. */
  readonly start: number;
  readonly end: number;
  /** Nesting level of the value (1 for a top-level entry). */
  readonly level: number;
}

/** Edits that turn the value at `target.start..end` into `wanted`. */
export function editValueInPlace(target: InPlaceTarget, wanted: LexValue, style: RenderStyle): TextEdit[] {
  const slice = target.text.slice(target.start, target.end);
  const errors: ParseError[] = [];
  const root = parseTree(slice, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length > 0) throw new SyntaxError(`invalid JSON value at offset ${target.start}`);
  const editor = new InPlaceEditor(target.text, target.start, style);
  editor.edit(root, fromNode(root, slice), wanted, target.level);
  return editor.edits;
}

class InPlaceEditor {
  readonly edits: TextEdit[] = [];

  constructor(
    private readonly text: string,
    /** Offset of the parsed slice within `text`: node offsets are relative to the slice. */
    private readonly base: number,
    private readonly style: RenderStyle,
  ) {}

  edit(node: Node, current: LexValue, wanted: LexValue, level: number): void {
    if (lexEqual(current, wanted)) return;
    const children = node.children ?? [];
    if (node.type === 'object' && current instanceof Map && wanted instanceof Map && current.size === children.length) {
      this.editObject(node, children, current, wanted, level);
    } else if (node.type === 'array' && Array.isArray(current) && Array.isArray(wanted)) {
      this.editArray(node, children, current, wanted, level);
    } else {
      // A scalar, a type change, or an object with duplicate keys: replace the whole value.
      this.edits.push({ offset: this.base + node.offset, length: node.length, content: renderValue(wanted, level, this.style) });
    }
  }

  private editObject(node: Node, members: readonly Node[], current: LexObject, wanted: LexObject, level: number): void {
    const indexByKey = new Map<string, number>();
    const removed = new Set<number>();
    members.forEach((member, i) => {
      const [keyNode, valueNode] = member.children ?? [];
      const key = keyNode?.value as string;
      indexByKey.set(key, i);
      const value = wanted.get(key);
      if (value === undefined) removed.add(i);
      else if (valueNode) this.edit(valueNode, current.get(key) as LexValue, value, level + 1);
    });
    const inserts = placeNewKeys([...wanted.keys()], (key) => !current.has(key), (key) => current.has(key)).map(
      ({ key, placement }): ListInsert => ({
        anchor:
          'after' in placement
            ? { after: indexByKey.get(placement.after) as number }
            : 'before' in placement
              ? { before: indexByKey.get(placement.before) as number }
              : { atEnd: true },
        text: renderMember(key, wanted.get(key) as LexValue, level + 1, this.style),
      }),
    );
    this.splice(node, members, removed, inserts, level);
  }

  private editArray(node: Node, elements: readonly Node[], current: LexValue[], wanted: LexValue[], level: number): void {
    const ops = alignSequences(current.length, wanted.length, (i, j) => lexEqual(current[i] as LexValue, wanted[j] as LexValue));
    const removed = new Set<number>();
    const inserts: ListInsert[] = [];
    // Added elements go after the last kept element before them, else before the first kept one.
    const firstKept = ops.find((op) => op.kind === 'keep' || op.kind === 'modify');
    let lastKept: number | undefined;
    for (const op of ops) {
      if (op.kind === 'remove') {
        removed.add(op.from);
      } else if (op.kind === 'add') {
        const anchor: ListAnchor =
          lastKept !== undefined ? { after: lastKept } : firstKept ? { before: firstKept.from } : { atEnd: true };
        inserts.push({ anchor, text: renderValue(wanted[op.to] as LexValue, level + 1, this.style) });
      } else {
        lastKept = op.from;
        if (op.kind === 'modify') {
          this.edit(elements[op.from] as Node, current[op.from] as LexValue, wanted[op.to] as LexValue, level + 1);
        }
      }
    }
    this.splice(node, elements, removed, inserts, level);
  }

  private splice(node: Node, items: readonly Node[], removed: ReadonlySet<number>, inserts: ListInsert[], level: number): void {
    const base = this.base;
    this.edits.push(
      ...spliceList({
        text: this.text,
        open: base + node.offset,
        close: base + node.offset + node.length - 1,
        items: items.map((item) => ({ start: base + item.offset, end: base + item.offset + item.length })),
        removed,
        inserts,
        eol: this.style.eol,
        defaultIndent: this.style.unit.repeat(level + 1),
      }),
    );
  }
}
