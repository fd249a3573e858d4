/**
 * A JSON value model that keeps what `JSON.parse` loses: number lexemes (`1.0` stays `1.0`) and
 * object key order (a `Map`, so integer-like keys are not hoisted). The writers render changed
 * entries from it; unchanged entries are never re-rendered at all.
 */
import { parseTree, type Node, type ParseError } from 'jsonc-parser';

export class LexNumber {
  constructor(readonly lexeme: string) {}
  get value(): number {
    return Number(this.lexeme);
  }
}

export type LexValue = null | boolean | string | LexNumber | LexValue[] | LexObject;
export type LexObject = Map<string, LexValue>;

export function isLexObject(value: LexValue): value is LexObject {
  return value instanceof Map;
}

/** Parses JSON text (already known to be valid) into the lexeme-preserving model. */
export function parseLex(text: string): LexValue {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length > 0) {
    throw new SyntaxError(`invalid JSON at offset ${errors[0]?.offset ?? 0}`);
  }
  return fromNode(root, text);
}

/**
 * Converts a jsonc-parser tree node into the model; `text` is the text the node's offsets refer
 * to. (Exported for the in-place editor, which walks the tree and the model side by side.)
 */
export function fromNode(node: Node, text: string): LexValue {
  switch (node.type) {
    case 'object': {
      const map: LexObject = new Map();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        map.set(keyNode.value as string, fromNode(valueNode, text));
      }
      return map;
    }
    case 'array':
      return (node.children ?? []).map((child) => fromNode(child, text));
    case 'number':
      return new LexNumber(text.slice(node.offset, node.offset + node.length));
    case 'string':
      return node.value as string;
    case 'boolean':
      return node.value as boolean;
    default:
      return null;
  }
}

/** Converts a plain parsed value (from `JSON.parse`) into the model; numbers get JS spelling. */
export function fromPlain(value: unknown): LexValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return new LexNumber(String(value));
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object') {
    const map: LexObject = new Map();
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) map.set(k, fromPlain(v));
    return map;
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}

/** Converts the model back to plain JS values (numbers lose their lexemes). */
export function toPlain(value: LexValue): unknown {
  if (value instanceof LexNumber) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      Object.defineProperty(out, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
