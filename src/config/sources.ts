/**
 * Where a setting's raw text comes from. Precedence: command-line flag > process environment >
 * env file > default. The env file never overrides the real environment.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';

export type Origin =
  | { kind: 'flag'; flag: string }
  | { kind: 'env'; name: string }
  | { kind: 'env-file'; name: string; file: string }
  | { kind: 'default' };

export interface RawValue {
  readonly text: string;
  readonly origin: Origin;
}

export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'flag':
      return origin.flag;
    case 'env':
      return `${origin.name} (environment)`;
    case 'env-file':
      return `${origin.name} (in ${origin.file})`;
    case 'default':
      return 'the default';
  }
}

export const DEFAULT_ENV_FILE = '.env.sync';

export interface EnvFileResult {
  readonly path: string | undefined;
  readonly values: Readonly<Record<string, string>>;
  readonly problem?: string;
}

/**
 * Reads `--env-file` (must exist) or `.env.sync` in the current directory (optional).
 */
export function loadEnvFile(explicitPath: string | undefined, cwd: string): EnvFileResult {
  const path = explicitPath !== undefined ? resolve(cwd, explicitPath) : resolve(cwd, DEFAULT_ENV_FILE);
  if (explicitPath === undefined && !existsSync(path)) return { path: undefined, values: {} };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return {
      path,
      values: {},
      problem: `--env-file: cannot read ${explicitPath ?? DEFAULT_ENV_FILE} (${code}); give the path of a readable KEY=value file, or leave the option out`,
    };
  }
  return { path, values: parseDotenv(text) };
}

export class SettingSources {
  constructor(
    private readonly flags: Readonly<Record<string, unknown>>,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly envFile: EnvFileResult,
  ) {}

  /** The raw value of a setting that has a flag and/or environment variable. */
  get(flagKey: string | undefined, flag: string | undefined, envName: string | undefined): RawValue | undefined {
    if (flagKey !== undefined && flag !== undefined) {
      const value = this.flags[flagKey];
      if (value !== undefined) {
        return { text: value === true ? 'true' : String(value), origin: { kind: 'flag', flag } };
      }
    }
    if (envName !== undefined) return this.getEnv(envName);
    return undefined;
  }

  /** An environment-only setting (credentials, git identity). Empty values count as unset. */
  getEnv(envName: string): RawValue | undefined {
    const fromEnv = this.env[envName];
    if (fromEnv !== undefined && fromEnv !== '') return { text: fromEnv, origin: { kind: 'env', name: envName } };
    const fromFile = this.envFile.values[envName];
    if (fromFile !== undefined && fromFile !== '' && this.envFile.path !== undefined) {
      return { text: fromFile, origin: { kind: 'env-file', name: envName, file: this.envFile.path } };
    }
    return undefined;
  }
}
