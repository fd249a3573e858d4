/**
 * Human output on stderr. Colour only on a TTY and never with NO_COLOR; secrets are redacted from
 * every line as a last line of defence.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { redactSecrets } from './redact.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Shown only with --verbose. */
  detail(message: string): void;
  readonly color: ChalkInstance;
}

export interface LoggerOptions {
  readonly verbose: boolean;
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly secrets?: readonly string[];
}

export function useColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return stream.isTTY === true;
}

export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const color = new Chalk({ level: useColor(stream, env) ? 1 : 0 });
  const secrets = options.secrets ?? [];
  const write = (text: string): void => {
    stream.write(redactSecrets(text, secrets) + '\n');
  };
  return {
    color,
    info: write,
    warn: (m) => write(color.yellow(`warning: ${m}`)),
    error: (m) => write(color.red(`error: ${m}`)),
    detail: (m) => {
      if (options.verbose) write(color.dim(m));
    },
  };
}
