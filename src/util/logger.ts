/**
 * Everything the tool says on stderr goes through here, in one of two formats:
 * - `human`: plain lines; colour only on a TTY and never with NO_COLOR; on a TTY also one live
 *   progress line (spinner) that regular lines scroll above;
 * - `json`: one JSON object per line (level, time, message and optional repository, category,
 *   durationMs, …) for journald and log shippers; no colour, no progress.
 * Secrets are redacted from every line as a last line of defence, in both formats.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { redactSecrets } from './redact.js';

export type LogFormat = 'human' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured context of a line; shown as JSON fields, ignored by the human format. */
export interface LogFields {
  readonly repository?: string;
  readonly category?: string;
  readonly durationMs?: number;
  readonly [key: string]: unknown;
}

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Shown only with --verbose (level `debug` in JSON). */
  detail(message: string, fields?: LogFields): void;
  /** Sets the live progress line (TTY and human format only; elsewhere a no-op). */
  progress(text: string): void;
  /** Removes the progress line and stops its spinner. */
  endProgress(): void;
  readonly color: ChalkInstance;
  readonly format: LogFormat;
}

export interface LoggerOptions {
  readonly verbose: boolean;
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly secrets?: readonly string[];
  readonly format?: LogFormat;
  /** Injected in tests; defaults to the wall clock. */
  readonly now?: () => Date;
}

export function useColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return stream.isTTY === true;
}

/**
 * The format of the most recently created logger: the entry point uses it for the last words of
 * a run that failed outside any command (so `--log-format json` output stays parseable).
 */
let processFormat: LogFormat | undefined;
export function activeLogFormat(): LogFormat | undefined {
  return processFormat;
}

/**
 * One JSON log line (without the newline); fields never override level, time or message. Every
 * string is redacted before it is escaped, so a secret cannot slip through as JSON escapes.
 */
export function jsonLine(level: LogLevel, message: string, fields: LogFields | undefined, time: Date, redact: (text: string) => string = (t) => t): string {
  const { level: _level, time: _time, message: _message, ...rest } = fields ?? {};
  return JSON.stringify({ level, time: time.toISOString(), message, ...rest }, (_key, value: unknown) => (typeof value === 'string' ? redact(value) : value));
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001b[2K';

export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const format = options.format ?? 'human';
  const now = options.now ?? (() => new Date());
  const color = new Chalk({ level: format === 'human' && useColor(stream, env) ? 1 : 0 });
  const secrets = options.secrets ?? [];
  processFormat = format;
  const redact = (text: string): string => redactSecrets(text, secrets);

  // The progress line is drawn only where a human watches: a terminal, in the human format.
  const live = format === 'human' && stream.isTTY === true && env['TERM'] !== 'dumb';
  let progressText: string | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const drawProgress = (): void => {
    if (progressText === undefined) return;
    // A line wider than the terminal wraps, and clearing it would then leave its first half behind.
    const room = ((stream as { columns?: number }).columns ?? 80) - 3;
    const text = redact(progressText);
    const shown = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text;
    stream.write(`${CLEAR_LINE}${color.cyan(SPINNER[frame % SPINNER.length] ?? '')} ${shown}`);
  };

  const emit = (level: LogLevel, message: string, fields: LogFields | undefined, styled: (m: string) => string): void => {
    if (format === 'json') {
      stream.write(jsonLine(level, message, fields, now(), redact) + '\n');
      return;
    }
    const line = redact(styled(message)) + '\n';
    stream.write(progressText !== undefined ? `${CLEAR_LINE}${line}` : line);
    drawProgress();
  };

  return {
    color,
    format,
    info: (m, f) => emit('info', m, f, (x) => x),
    warn: (m, f) => emit('warn', m, f, (x) => color.yellow(`warning: ${x}`)),
    error: (m, f) => emit('error', m, f, (x) => color.red(`error: ${x}`)),
    detail: (m, f) => {
      if (options.verbose) emit('debug', m, f, (x) => color.dim(x));
    },
    progress: (text) => {
      if (!live) return;
      progressText = text;
      if (timer === undefined) {
        timer = setInterval(() => {
          frame++;
          drawProgress();
        }, 100);
        // The spinner must never keep the process alive on its own.
        timer.unref();
      }
      drawProgress();
    },
    endProgress: () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (progressText !== undefined) stream.write(CLEAR_LINE);
      progressText = undefined;
    },
  };
}
