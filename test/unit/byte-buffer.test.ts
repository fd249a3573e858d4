import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gitBlobSha } from '../../src/sync/pull-request.js';
import { ByteBuffer } from '../../src/util/byte-buffer.js';

/** Feeds `bytes` in chunks of `size` bytes, splitting multi-byte characters where they fall. */
function gathered(bytes: Buffer, size: number, expected?: number): ByteBuffer {
  const buffer = new ByteBuffer(expected);
  for (let i = 0; i < bytes.length; i += size) buffer.append(bytes.subarray(i, i + size));
  return buffer;
}

describe('ByteBuffer: a body gathered whole and decoded once', () => {
  const text = '\uFEFF{"name": "h\u00e9llo \u2713 \u{1F600}"}\r\n';
  const bytes = Buffer.from(text, 'utf8');

  it('decodes UTF-8 split anywhere, keeps a byte order mark, and grows past a wrong size hint', () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      for (const hint of [undefined, 0, 4, bytes.length, 10 * bytes.length]) {
        const buffer = gathered(bytes, size, hint);
        expect(buffer.size).toBe(bytes.length);
        expect(buffer.utf8Text()).toBe(text);
      }
    }
  });

  it('gives ASCII bodies back unchanged', () => {
    const ascii = '{"a": 1.0, "b": "\\u00e9"}\n'.repeat(50);
    expect(gathered(Buffer.from(ascii), 16).utf8Text()).toBe(ascii);
  });

  it('replaces invalid bytes as TextDecoder does', () => {
    const broken = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(gathered(broken, 1).utf8Text()).toBe('{\uFFFD}');
  });

  it('keeps text appended one byte per character', () => {
    const buffer = new ByteBuffer(2);
    for (const piece of ['{"k": ', '"\\u00e9"', '}', '\n']) buffer.appendLatin1(piece);
    expect(buffer.latin1Text()).toBe('{"k": "\\u00e9"}\n');
  });
});

describe('gitBlobSha', () => {
  it('is the id git gives the UTF-8 bytes of the text', () => {
    // printf 'h\xc3\xa9llo \xe2\x9c\x93\r\n' | git hash-object --stdin
    expect(gitBlobSha('h\u00e9llo \u2713\r\n')).toBe('3514849b30e35c16d05d952eae5306aa60da2332');
    expect(gitBlobSha('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });

  it('hashes a text longer than one slice with pairs across the slice edges as one whole', () => {
    const long = '\u{1F600}x\u00e9'.repeat(700_000);
    const bytes = Buffer.from(long, 'utf8');
    const whole = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    expect(gitBlobSha(long)).toBe(whole);
  });
});
