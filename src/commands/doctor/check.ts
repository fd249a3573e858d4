/** One line of `doctor`'s table: what was checked, how it went, and for a failure what to do. */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to change; set on `fail` and `warn`. */
  readonly fix?: string;
}

export const pass = (name: string, detail: string): Check => ({ name, status: 'pass', detail });
export const warn = (name: string, detail: string, fix: string): Check => ({ name, status: 'warn', detail, fix });
export const fail = (name: string, detail: string, fix: string): Check => ({ name, status: 'fail', detail, fix });
export const skip = (name: string, detail: string): Check => ({ name, status: 'skip', detail });
