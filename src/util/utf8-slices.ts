/**
 * A text's UTF-8 bytes a slice at a time, for writing or hashing a 100 MB text without holding
 * all of its bytes at once.
 */

/** A text's UTF-8 bytes in slices of about `sliceChars` characters, never splitting a surrogate pair. */
export function* utf8Slices(text: string, sliceChars: number = 1 << 20): Generator<Buffer> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + Math.max(2, sliceChars));
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield Buffer.from(text.slice(start, end), 'utf8');
    start = end;
  }
}
