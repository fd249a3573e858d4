/**
 * Exit codes of the outside contract, and the error classes that carry them. Only the CLI entry
 * point turns these into a process exit code.
 */

export const ExitCode = {
  /** The run did what it should, drift or not. */
  Ok: 0,
  /** A category or repository failed; the others still ran and the report says which. */
  Failed: 1,
  /** Bad usage or configuration, found before any network request. */
  Usage: 2,
  /** Another run holds the lock for the same repositories (EX_TEMPFAIL: try again later). */
  Locked: 75,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad flags, environment or env file. `problems` lists every problem found, each naming the setting. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.Usage;
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'UsageError';
  }
}

/** Another run holds the lock. */
export class LockHeldError extends Error {
  readonly exitCode = ExitCode.Locked;
  constructor(message: string) {
    super(message);
    this.name = 'LockHeldError';
  }
}

/** A failure with a message meant for the user (what went wrong and what to do next). */
export class SyncError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
