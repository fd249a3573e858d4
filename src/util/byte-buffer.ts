/**
 * Text gathered as bytes in one growing buffer and turned into a string once. Large bodies (a
 * 100 MB PRIMARY category, a 115 MB db.json) gathered as a list of decoded pieces and joined cost
 * the pieces plus the joined copy on V8's heap, where the pieces stay until the next full
 * collection and make the heap grow. The buffer lives outside the heap, and V8 counts it as
 * external memory, which brings the next collection sooner; a large one-byte string Node makes
 * from it is external as well.
 */
import { isAscii } from 'node:buffer';

/** Never reserve more than this up front, whatever a Content-Length says. */
const MAX_RESERVE = 256 * 1024 * 1024;

export class ByteBuffer {
  private bytes: Buffer;
  private used = 0;

  /** `expected`: the declared size, when known; the buffer grows past it if more arrives. */
  constructor(expected?: number) {
    const reserve = expected !== undefined && Number.isFinite(expected) && expected > 0 ? Math.min(expected, MAX_RESERVE) : 64 * 1024;
    this.bytes = Buffer.allocUnsafe(reserve);
  }

  get size(): number {
    return this.used;
  }

  append(chunk: Uint8Array): void {
    this.reserve(chunk.byteLength);
    this.bytes.set(chunk, this.used);
    this.used += chunk.byteLength;
  }

  /** Appends text whose characters are all below U+0100, one byte each. */
  appendLatin1(text: string): void {
    this.reserve(text.length);
    this.used += this.bytes.write(text, this.used, 'latin1');
  }

  /**
   * The bytes as UTF-8 text. Pure ASCII becomes a one-byte string without decoding; anything else
   * is decoded whole, a leading byte order mark kept (it is part of the file) and invalid bytes
   * replaced as `TextDecoder` does.
   */
  utf8Text(): string {
    const view = this.bytes.subarray(0, this.used);
    if (isAscii(view)) return view.toString('latin1');
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(view);
  }

  /** The bytes as one character each (for text appended with `appendLatin1`). */
  latin1Text(): string {
    return this.bytes.toString('latin1', 0, this.used);
  }

  private reserve(more: number): void {
    if (this.used + more <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.used + more, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }
}
