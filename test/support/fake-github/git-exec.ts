import { spawn } from 'node:child_process';

export interface GitRunOptions {
  gitDir?: string;
  cwd?: string;
  env?: Record<string, string>;
  input?: string | Buffer;
  /** Resolve with the exit code instead of rejecting when git fails. */
  allowFail?: boolean;
}

export interface GitRunResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
    this.name = 'GitCommandError';
  }
}

/**
 * The server's git must not see the developer's config or ambient GIT_* variables (a GIT_DIR or
 * GIT_INDEX_FILE leaking in from a hook would make the fake write into the wrong repository).
 */
export function serverGitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: '/nonexistent',
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

/**
 * Always asynchronous: the fake usually runs inside the test process, and a synchronous spawn would
 * block the event loop that has to answer the very git client being waited for.
 */
export function runGit(args: readonly string[], opts: GitRunOptions = {}): Promise<GitRunResult> {
  const fullArgs = opts.gitDir ? ['--git-dir', opts.gitDir, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const child = spawn('git', fullArgs, {
      cwd: opts.cwd,
      env: serverGitEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {
      // git may exit before reading all of stdin (e.g. a failed rev-parse); the exit code tells.
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 };
      if (result.code !== 0 && !opts.allowFail) {
        reject(new GitCommandError(args, result.code, result.stderr));
      } else {
        resolve(result);
      }
    });
    child.stdin.end(opts.input ?? '');
  });
}

export async function gitText(args: readonly string[], opts: GitRunOptions = {}): Promise<string> {
  return (await runGit(args, opts)).stdout.toString('utf8');
}
