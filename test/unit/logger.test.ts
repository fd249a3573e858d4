import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from '../../src/util/logger.js';

function capture(options: Partial<LoggerOptions> & { tty?: boolean } = {}) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.tty) stream.isTTY = true;
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const log = createLogger({ verbose: false, env: {}, ...options, stream, now: () => new Date('2025-01-02T03:04:05.678Z') });
  return { log, text: () => text };
}

describe('logger: json format', () => {
  it('writes one parseable object per line with level, time, message and the given fields', () => {
    const { log, text } = capture({ format: 'json', verbose: true });
    log.info('clip: in sync', { repository: 'o/r', category: 'clip', durationMs: 12 });
    log.warn('careful');
    log.error('broken', { repository: 'o/r' });
    log.detail('fine print');
    const lines = text().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { level: 'info', time: '2025-01-02T03:04:05.678Z', message: 'clip: in sync', repository: 'o/r', category: 'clip', durationMs: 12 },
      { level: 'warn', time: '2025-01-02T03:04:05.678Z', message: 'careful' },
      { level: 'error', time: '2025-01-02T03:04:05.678Z', message: 'broken', repository: 'o/r' },
      { level: 'debug', time: '2025-01-02T03:04:05.678Z', message: 'fine print' },
    ]);
    expect(Object.keys(lines[0]!).slice(0, 3)).toEqual(['level', 'time', 'message']);
  });

  it('never lets fields override level, time or message, and has no colour even on a TTY', () => {
    const { log, text } = capture({ format: 'json', tty: true });
    log.info('real', { level: 'fake', message: 'fake', time: 'fake' });
    log.progress('spinning');
    expect(JSON.parse(text())).toMatchObject({ level: 'info', message: 'real', time: '2025-01-02T03:04:05.678Z' });
    expect(text()).not.toMatch(/\u001b/);
    expect(text().split('\n')).toHaveLength(2);
  });

  it('redacts secrets, also those JSON would escape (a PEM line, a token in a field)', () => {
    const token = 'ghp_SECRETSECRETSECRET1234';
    const pemLine = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun';
    const { log, text } = capture({ format: 'json', secrets: [token, `-----BEGIN\n${pemLine}\n-----END`, pemLine] });
    log.error(`bad "${token}"`, { header: `token ${token}`, nested: { key: `x\n${pemLine}\ny` } });
    expect(text()).not.toContain(token);
    expect(text()).not.toContain(pemLine);
    expect(JSON.parse(text())).toMatchObject({ message: 'bad "***"', header: 'token ***', nested: { key: 'x\n***\ny' } });
  });
});

describe('logger: human format', () => {
  it('keeps the plain lines and hides detail without --verbose', () => {
    const { log, text } = capture();
    log.info('hello');
    log.warn('careful');
    log.detail('hidden');
    expect(text()).toBe('hello\nwarning: careful\n');
  });

  it('draws no progress when stderr is not a TTY', () => {
    const { log, text } = capture();
    log.progress('PRIMARY 3/10');
    log.info('line');
    log.endProgress();
    expect(text()).toBe('line\n');
  });

  it('draws a progress line on a TTY, keeps it below regular lines, and clears it at the end', () => {
    const { log, text } = capture({ tty: true });
    log.progress('PRIMARY 3/10');
    log.info('a line');
    log.progress('PRIMARY 4/10');
    log.endProgress();
    const out = text();
    expect(out).toContain('PRIMARY 3/10');
    expect(out).toContain('PRIMARY 4/10');
    // The regular line is written on a cleared line, then the progress line is redrawn under it.
    expect(out).toMatch(/\r\u001b\[2Ka line\n\r\u001b\[2K.*PRIMARY 3\/10/);
    expect(out.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('draws no progress on a dumb terminal', () => {
    const { log, text } = capture({ tty: true, env: { TERM: 'dumb' } });
    log.progress('PRIMARY 3/10');
    log.endProgress();
    expect(text()).toBe('');
  });
});

describe('logger: progress width', () => {
  it('cuts the progress line to the terminal width, so clearing it leaves nothing behind', () => {
    const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
    stream.isTTY = true;
    stream.columns = 20;
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const log = createLogger({ verbose: false, env: {}, stream });
    log.progress('PRIMARY 3/10 · AI-Horde-image-model-reference: cloning and pushing');
    log.endProgress();
    const drawn = text
      .split('\r\u001b[2K')
      .filter((t) => t !== '')
      .map((t) => t.replace(/\u001b\[\d+m/g, ''));
    expect(drawn).toEqual(['⠋ PRIMARY 3/10 · A…']);
    expect([...drawn[0]!].length).toBeLessThan(20);
  });
});
