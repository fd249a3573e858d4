/**
 * PRIMARY's UTF-8 body as ensure_ascii JSON text, built as the chunks arrive. PRIMARY writes raw
 * UTF-8 (ensure_ascii=False) with a few thousand non-ASCII characters in 100 MB; decoding every
 * chunk to UTF-16 and escaping it with a regular expression cost ~0.7 s of a 100× run. Here ASCII
 * bytes are copied as they are and only the runs of non-ASCII bytes are decoded and escaped.
 */
import { isAscii } from 'node:buffer';
import { ByteBuffer } from '../util/byte-buffer.js';

const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;
const escapeUnit = (unit: string): string => '\\u' + unit.charCodeAt(0).toString(16).padStart(4, '0');

/**
 * JSON text with every non-ASCII UTF-16 unit as a lowercase `\uXXXX` escape, as Python's
 * ensure_ascii writes it (astral characters become surrogate pairs). Inside strings that is the
 * same value; outside strings non-ASCII is invalid JSON either way.
 */
export function asciiJson(text: string): string {
  return NON_ASCII.test(text) ? text.replace(NON_ASCII_ALL, escapeUnit) : text;
}

const NOTHING = new Uint8Array(0);

/** Where the next byte ≥ 0x80 is at or after `from` (the length if none): 4 kB blocks at a time where they are all ASCII. */
function nextNonAscii(bytes: Uint8Array, from: number): number {
  const BLOCK = 4096;
  let i = from;
  while (i < bytes.length) {
    if (i % BLOCK === 0 && i + BLOCK <= bytes.length && isAscii(bytes.subarray(i, i + BLOCK))) {
      i += BLOCK;
      continue;
    }
    if ((bytes[i] as number) >= 0x80) return i;
    i++;
  }
  return i;
}

/**
 * Gathers a UTF-8 body chunk by chunk into the same text `asciiJson(new TextDecoder().decode(body))`
 * gives, as a one-byte string. A multi-byte character is made of bytes ≥ 0x80 only, so each
 * maximal run of such bytes is decoded on its own (an invalid sequence becomes U+FFFD, as the
 * streaming decoder would make it); a run reaching a chunk's end waits for the next chunk.
 */
export class AsciiJsonBody {
  private readonly text: ByteBuffer;
  private readonly decoder = new TextDecoder('utf-8');
  /** Non-ASCII bytes at the end of the last chunk, not decoded yet. */
  private pending: Uint8Array = NOTHING;

  constructor(expectedBytes?: number) {
    // Room for the escapes too (each non-ASCII character grows to 6 or 12 bytes): growing a
    // 100 MB buffer by a few kB at the very end would copy all of it once more.
    const room = expectedBytes !== undefined && Number.isFinite(expectedBytes) ? expectedBytes + (expectedBytes >> 5) + 64 * 1024 : undefined;
    this.text = new ByteBuffer(room);
  }

  append(chunk: Uint8Array): void {
    const bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = NOTHING;
    if (isAscii(bytes)) {
      this.text.append(bytes);
      return;
    }
    let copied = 0;
    for (let i = nextNonAscii(bytes, 0); i < bytes.length; i = nextNonAscii(bytes, i)) {
      let end = i + 1;
      while (end < bytes.length && (bytes[end] as number) >= 0x80) end++;
      this.text.append(bytes.subarray(copied, i));
      if (end === bytes.length) {
        this.pending = Uint8Array.from(bytes.subarray(i));
        return;
      }
      this.text.appendLatin1(asciiJson(this.decoder.decode(bytes.subarray(i, end))));
      copied = end;
      i = end;
    }
    this.text.append(bytes.subarray(copied));
  }

  /** The whole text; an unfinished character at the very end becomes U+FFFD. */
  finish(): string {
    if (this.pending.length > 0) this.text.appendLatin1(asciiJson(this.decoder.decode(this.pending)));
    this.pending = NOTHING;
    return this.text.latin1Text();
  }
}
