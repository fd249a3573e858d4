import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export interface RunCliOptions {
  /** Added to the clean environment; `undefined` values are left out. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string | Buffer;
  /** Default 60 s; then the whole process group is killed and `timedOut` is true. */
  timeoutMs?: number;
  /** Secrets that must never show up in any process's argv while the run lasts. */
  watchSecrets?: string[];
  /** HOME for the child; default a fresh temporary directory, removed afterwards. */
  home?: string;
  /** Run this script instead of bin/horde-model-sync.js (to test the runner itself). */
  script?: string;
  /** Called with the child's pid once it has started (e.g. to send it a signal mid-run). */
  onSpawn?: (pid: number) => void;
  /** Options for node itself, before the script (e.g. `--cpu-prof` for the bench's trace). */
  nodeArgs?: string[];
}

export interface RunCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** "command (pid N)" for every process seen with a watched secret in its argv; never the secret. */
  secretSightings: string[];
}

let binPath: Promise<string> | undefined;

/** Works from test/support/*.ts (vitest) and dist/test/support/*.js (demo, bench): find the package root. */
export function cliBinPath(): Promise<string> {
  binPath ??= (async () => {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
      try {
        const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string };
        if (pkg.name === 'horde-model-sync') return join(dir, 'bin', 'horde-model-sync.js');
      } catch {
        // not the package root yet
      }
      const up = dirname(dir);
      if (up === dir) throw new Error('run-cli: cannot find the horde-model-sync package root');
      dir = up;
    }
  })();
  return binPath;
}

/**
 * Spawns the CLI with a clean environment: only PATH, a throwaway HOME and LANG, plus what the test
 * passes — never the developer's GITHUB_TOKEN, GIT_* or npm_* variables. Asynchronous only, so an
 * in-process fake server keeps answering while the child runs.
 */
export async function runCli(args: string[], opts: RunCliOptions = {}): Promise<RunCliResult> {
  const script = opts.script ?? (await cliBinPath());
  const home = opts.home ?? (await mkdtemp(join(tmpdir(), 'run-cli-home-')));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;

  const watcher = opts.watchSecrets?.length ? new ArgvWatcher(opts.watchSecrets) : null;
  const started = performance.now();
  try {
    if (watcher) await watcher.start();
    return await new Promise<RunCliResult>((resolve, reject) => {
      // Own process group, so a timeout also kills git children the CLI started.
      const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, ...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      if (child.pid !== undefined) opts.onSpawn?.(child.pid);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.stdin.on('error', () => {
        // The CLI may exit without reading its input.
      });
      child.stdin.end(opts.input ?? '');
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, opts.timeoutMs ?? 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', async (code, signal) => {
        clearTimeout(timer);
        const sightings = watcher ? await watcher.stop() : [];
        resolve({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          durationMs: Math.round(performance.now() - started),
          timedOut,
          secretSightings: sightings,
        });
      });
    });
  } finally {
    await watcher?.stop();
    if (!opts.home) await rm(home, { recursive: true, force: true });
  }
}

/**
 * Polls /proc/<pid>/cmdline of every process (argv is world-readable through `ps`, so a token there
 * is a leak even if it only lives for the few milliseconds of a `git` call).
 */
export class ArgvWatcher {
  private readonly seen = new Map<string, string>();
  private running = false;
  private loop: Promise<void> | null = null;
  private scans = 0;

  constructor(
    private readonly secrets: readonly string[],
    private readonly intervalMs = 2,
  ) {
    if (secrets.some((s) => s.length < 6)) throw new Error('ArgvWatcher: secrets shorter than 6 characters would match by accident');
  }

  /** Resolves after the first full scan, so nothing started afterwards can slip in before polling. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.scan();
    this.loop = (async () => {
      while (this.running) {
        await this.scan();
        await new Promise((r) => setTimeout(r, this.intervalMs));
      }
    })();
  }

  async stop(): Promise<string[]> {
    if (this.running) {
      this.running = false;
      await this.loop;
      await this.scan();
    }
    return [...this.seen.values()];
  }

  get scanCount(): number {
    return this.scans;
  }

  private async scan(): Promise<void> {
    this.scans++;
    let pids: string[];
    try {
      pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
    } catch {
      return;
    }
    await Promise.all(
      pids.map(async (pid) => {
        let argv: Buffer;
        try {
          argv = await readFile(`/proc/${pid}/cmdline`);
        } catch {
          return; // exited between readdir and read
        }
        if (!this.secrets.some((s) => argv.includes(s))) return;
        // Name the command from the argv just read: /proc/<pid>/comm may be gone by now.
        const argv0 = argv.subarray(0, Math.max(0, argv.indexOf(0)) || argv.length).toString('utf8');
        let comm = argv0.slice(argv0.lastIndexOf('/') + 1) || '?';
        if (this.secrets.some((s) => comm.includes(s))) comm = '[redacted]';
        this.seen.set(pid, `${comm} (pid ${pid})`);
      }),
    );
  }
}

/** Relative paths of files under `dir` whose name or bytes contain `secret` (symlinks not followed). */
export async function collectFilesContaining(dir: string, secret: string): Promise<string[]> {
  const hits: string[] = [];
  const needle = Buffer.from(secret);
  async function walk(d: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      const st = await lstat(p).catch(() => null);
      if (!st) continue;
      if (st.isDirectory()) {
        await walk(p);
      } else if (st.isFile()) {
        if (name.includes(secret)) {
          hits.push(relative(dir, p));
          continue;
        }
        const bytes = await readFile(p).catch(() => null);
        if (bytes?.includes(needle)) hits.push(relative(dir, p));
      }
    }
  }
  await walk(dir);
  return hits.sort();
}
