import { describe, expect, it } from 'vitest';
import { fastImportStream } from '../../src/git/fast-import.js';
import { utf8Slices } from '../../src/util/utf8-slices.js';

const identity = { author: { name: 'Sync Bot', email: 'bot@example.com' }, committer: { name: 'Horde', email: 'h@example.com' } };
const parent = 'a'.repeat(40);

const text = (commit: Parameters<typeof fastImportStream>[0]): string => Buffer.concat([...fastImportStream(commit)]).toString('utf8');

describe('fastImportStream', () => {
  it('one commit on the parent, file contents counted in bytes (not UTF-16 units)', () => {
    const stream = text({
      ref: 'refs/heads/sync/from-primary',
      parent,
      message: 'Sync\n\nSynced-by: horde-model-sync\n',
      identity,
      time: 1_700_000_000,
      files: [
        { path: 'db.json', mode: '100644', text: '{"é": 1}\r\n' },
        { path: 'run.sh', mode: '100755', text: '' },
      ],
    });
    expect(stream).toBe(
      'commit refs/heads/sync/from-primary\nmark :1\n' +
        'author Sync Bot <bot@example.com> 1700000000 +0000\n' +
        'committer Horde <h@example.com> 1700000000 +0000\n' +
        'data 34\nSync\n\nSynced-by: horde-model-sync\n\n' +
        `from ${parent}\n` +
        'M 100644 inline db.json\ndata 11\n{"é": 1}\r\n\n' +
        'M 100755 inline run.sh\ndata 0\n\n' +
        '\ndone\n',
    );
  });

  it('refuses what fast-import would misread: brackets in a name, a quoted or multi-line path, a bad parent or mode', () => {
    const base = { ref: 'refs/heads/x', parent, message: 'm', identity, time: 1, files: [] as { path: string; mode: string; text: string }[] };
    expect(() => text({ ...base, identity: { ...identity, author: { name: 'a <b>', email: 'e@x' } } })).toThrow(/author name/);
    expect(() => text({ ...base, files: [{ path: '"db.json', mode: '100644', text: '' }] })).toThrow(/path/);
    expect(() => text({ ...base, files: [{ path: 'a\nb', mode: '100644', text: '' }] })).toThrow(/path/);
    expect(() => text({ ...base, files: [{ path: 'link', mode: '120000', text: '' }] })).toThrow(/mode/);
    expect(() => text({ ...base, parent: 'main' })).toThrow(/commit id/);
  });
});

describe('utf8Slices', () => {
  it('gives the UTF-8 bytes of the whole text, however it is sliced, splitting no surrogate pair', () => {
    const sample = 'a\u{1F600}b\u00e9\u{1F4A9}\u{1F4A9}c\r\n\u2713'.repeat(7);
    for (const size of [1, 2, 3, 4, 5, 64, 1 << 20]) {
      const slices = [...utf8Slices(sample, size)];
      expect(Buffer.concat(slices).equals(Buffer.from(sample, 'utf8'))).toBe(true);
      // A split pair would have become U+FFFD (EF BF BD) in its slice.
      for (const slice of slices) expect(slice.includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false);
      if (size >= 2 && size < sample.length) expect(slices.length).toBeGreaterThan(1);
    }
    expect([...utf8Slices('')]).toEqual([]);
  });
});
