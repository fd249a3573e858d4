import { describe, expect, it } from 'vitest';
import { AsciiJsonBody, asciiJson } from '../../src/primary/ascii-body.js';
import { prng as rng } from '../support/prng.js';


/** The reference: decode the whole body at once, then escape. */
const reference = (bytes: Uint8Array): string => asciiJson(new TextDecoder('utf-8').decode(bytes));

function gathered(bytes: Uint8Array, cuts: readonly number[]): string {
  const body = new AsciiJsonBody();
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    body.append(bytes.subarray(from, cut));
    from = cut;
  }
  return body.finish();
}

describe('AsciiJsonBody: PRIMARY body as ensure_ascii text, chunk by chunk', () => {
  it('equals escaping the whole decoded body, for every place a chunk can end', () => {
    const text = '{"a": "caf\u00e9 \u2713", "\u{1F600}": ["\u4e2d\u6587\u6587", 1.0], "b": "\\u00e9"}\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut++) expect(gathered(bytes, [cut])).toBe(reference(bytes));
    expect(gathered(bytes, [...bytes.keys()])).toBe(reference(bytes));
    expect(reference(bytes)).toBe('{"a": "caf\\u00e9 \\u2713", "\\ud83d\\ude00": ["\\u4e2d\\u6587\\u6587", 1.0], "b": "\\u00e9"}\n');
  });

  it('replaces broken UTF-8 as the decoder does: lone continuation bytes, cut sequences, overlongs, a cut end', () => {
    const broken = [
      [0x7b, 0x80, 0x7d],
      [0x22, 0xe2, 0x9c, 0x22],
      [0xc0, 0xaf, 0x41],
      [0xed, 0xa0, 0x80, 0x42],
      [0xf4, 0x90, 0x80, 0x80],
      [0x41, 0xf0, 0x9f, 0x98],
      [0xe2, 0x9c, 0x93, 0xe2, 0x9c],
    ].map((b) => Uint8Array.from(b));
    for (const bytes of broken) {
      for (let cut = 0; cut <= bytes.length; cut++) expect(gathered(bytes, [cut])).toBe(reference(bytes));
    }
  });

  it('agrees with the reference on random bodies and random chunkings (seeded)', () => {
    const next = rng(7);
    const pieces = ['{"k": "', '"}', ', ', 'ascii text ', '\u00e9', '\u2713', '\u{1F600}', '\u4e2d', '\r\n', '1.0'];
    for (let round = 0; round < 300; round++) {
      const parts: Uint8Array[] = [];
      const count = 1 + Math.floor(next() * 40);
      for (let i = 0; i < count; i++) {
        if (next() < 0.05) parts.push(Uint8Array.from([0x80 + Math.floor(next() * 0x80)]));
        else parts.push(Buffer.from(pieces[Math.floor(next() * pieces.length)] as string, 'utf8'));
      }
      const bytes = Buffer.concat(parts);
      const cuts = [...new Set(Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() * (bytes.length + 1))))].sort((a, b) => a - b);
      expect(gathered(bytes, cuts)).toBe(reference(bytes));
    }
  });

  it('finds characters on either side of the 4 kB blocks it skips as all-ASCII', () => {
    const next = rng(11);
    for (let round = 0; round < 60; round++) {
      const parts: string[] = [];
      for (let i = 0; i < 6; i++) {
        parts.push('a'.repeat(Math.floor(next() * 9000)));
        parts.push(['\u00e9', '\u2713', '\u{1F600}', '\u4e2d\u6587'][Math.floor(next() * 4)] as string);
      }
      const bytes = Buffer.from(parts.join(''), 'utf8');
      const cuts = [...new Set(Array.from({ length: Math.floor(next() * 4) }, () => Math.floor(next() * (bytes.length + 1))))].sort((a, b) => a - b);
      expect(gathered(bytes, cuts)).toBe(reference(bytes));
    }
    // A character right at a block edge, and one split by it.
    for (const at of [4095, 4096, 4097, 8190, 8191]) {
      const bytes = Buffer.from('b'.repeat(at) + '\u{1F600}' + 'c'.repeat(5000), 'utf8');
      expect(gathered(bytes, [])).toBe(reference(bytes));
    }
  });

  it('gives a one-byte-per-character text: only ASCII remains', () => {
    const out = gathered(Buffer.from('x\u00e9\u{1F600}'.repeat(1000), 'utf8'), [1, 2, 3, 5000]);
    expect(/[^\x00-\x7f]/.test(out)).toBe(false);
  });
});
