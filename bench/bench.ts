/**
 * `npm run bench`: times the built CLI against the loopback fakes at 1× (the real snapshots), 10× and
 * 100× (generated, bench/generate.ts), next to the floor measured in the same run — what HTTP and git
 * themselves need: every PRIMARY body fetched, and a sparse clone (dry run) or a sparse clone,
 * commit and push of each repository (full sync), with plain `git` — once all at once and once one
 * step after another (issue #7's method; its 1× budget "≤ 1.6× floor" is judged against that one).
 *
 *   node dist/bench/bench.js [--data <dir>] [--scales 1,10,100] [--reps N] [--quick] [--cache <dir>]
 *
 * Cases: `--help` cold start; dry run; full sync (pull request created; a fresh scenario and owner
 * per repetition); re-run of the same sync (pull request `unchanged`). Every run's JSON report is
 * checked against the generator's known truth: a fast wrong answer is a failure, not a result.
 * Peak RSS is the CLI process's own VmHWM at exit (bench/rss-hook.ts, loaded through NODE_OPTIONS),
 * so git children do not count.
 *
 * Prints a table on stdout (progress on stderr) and writes bench/results/latest.json.
 * Exit code: 0 all correct and within budget; 2 all correct but over a budget; 1 a run failed or
 * reported something other than the truth.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from '../test/support/run-cli.js';
import { startSyncScenario, type ScenarioData, type SyncScenario } from '../test/support/sync-scenario.js';
import {
  ALL_CATEGORIES,
  defaultDataDir,
  generateScenario,
  projectRoot,
  realScenario,
  type CategoryTruth,
  type GeneratedScenario,
} from './generate.js';

// ---------------------------------------------------------------------------------------------
// Options

export interface BenchOptions {
  readonly dataDir: string | undefined;
  readonly scales: number[];
  readonly reps: number;
  readonly helpReps: number;
  readonly cacheDir: string | undefined;
  readonly out: string;
  readonly seed: number | undefined;
  /** Another build's bin/horde-model-sync.js, to compare two versions on the same data. */
  readonly cli: string | undefined;
}

function parseArgs(argv: string[]): BenchOptions {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i === -1) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  const known = new Set(['--data', '--scales', '--reps', '--quick', '--cache', '--out', '--seed', '--cli', '--help']);
  for (const arg of argv) if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg}`);
  if (argv.includes('--help')) {
    process.stdout.write('usage: node dist/bench/bench.js [--data <dir>] [--scales 1,10,100] [--reps N] [--quick] [--cache <dir>] [--out <file>] [--seed N] [--cli <bin.js>]\n');
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const scales = (value('--scales') ?? (quick ? '1' : '1,10,100')).split(',').map((s) => Number(s.trim()));
  if (scales.some((s) => !(s > 0))) throw new Error('--scales takes positive numbers, e.g. 1,10,100');
  const reps = Number(value('--reps') ?? (quick ? '1' : '3'));
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps takes a positive integer');
  const data = value('--data');
  const seed = value('--seed');
  return {
    dataDir: data !== undefined ? resolve(data) : defaultDataDir(),
    scales,
    reps,
    helpReps: Math.max(reps, quick ? 3 : 5),
    cacheDir: value('--cache'),
    out: resolve(value('--out') ?? join(projectRoot(), 'bench', 'results', 'latest.json')),
    seed: seed !== undefined ? Number(seed) : undefined,
    cli: value('--cli') !== undefined ? resolve(value('--cli') as string) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Budgets (issue 7)

interface Budget {
  readonly timeS: number;
  readonly floorRatio?: number;
  readonly rssMb?: number;
}

const RSS_MB: Record<number, number> = { 1: 150, 10: 350, 100: 1024 };
const TIME_S: Record<string, Record<number, number>> = {
  'full-sync': { 1: 2.0, 10: 5, 100: 35 },
  // A re-run does no git work; it is held to the full-sync budget (it must not be slower).
  're-run': { 1: 2.0, 10: 5, 100: 35 },
  'dry-run': { 1: 0.8, 10: 1.5, 100: 10 },
};
const GROWTH_LIMIT = 12;

/** The budget of the smallest listed scale at or above `scale` (none above 100×). */
function budgetFor(kind: string, scale: number): Budget | undefined {
  if (kind === 'help') return { timeS: 0.25 };
  const at = [1, 10, 100].find((s) => scale <= s);
  if (at === undefined) return undefined;
  const timeS = TIME_S[kind]?.[at];
  if (timeS === undefined) return undefined;
  return { timeS, rssMb: RSS_MB[at] as number, ...(kind === 'full-sync' && at === 1 ? { floorRatio: 1.6 } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Measuring the CLI

interface Run {
  readonly ms: number;
  readonly cpuMs: number | null;
  readonly peakKb: number | null;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly apiRequests: number;
  readonly gitRequests: number;
  readonly apiBytesOut: number;
}

const HOOK_URL = pathToFileURL(join(projectRoot(), 'dist', 'bench', 'rss-hook.js')).href;
const RUN_TIMEOUT_MS = 15 * 60_000;
let workDir = '';
let runCounter = 0;
let cliScript: string | undefined;

async function runMeasured(args: string[], env: Record<string, string>, s?: SyncScenario): Promise<Run> {
  const statsFile = join(workDir, `run-${runCounter++}.json`);
  s?.gh.resetLog();
  const r = await runCli(args, {
    env: { ...env, NODE_OPTIONS: `--import=${HOOK_URL}`, HMS_BENCH_RSS_FILE: statsFile },
    timeoutMs: RUN_TIMEOUT_MS,
    ...(cliScript !== undefined ? { script: cliScript } : {}),
  });
  let peakKb: number | null = null;
  let cpuMs: number | null = null;
  try {
    const stats = JSON.parse(await readFile(statsFile, 'utf8')) as { peakKb: number | null; cpuMs: number };
    peakKb = stats.peakKb;
    cpuMs = stats.cpuMs;
  } catch {
    // killed, or no /proc
  }
  const requests = s?.gh.requests ?? [];
  return {
    ms: r.durationMs,
    cpuMs,
    peakKb,
    code: r.timedOut ? null : r.code,
    stdout: r.stdout,
    stderr: r.stderr,
    apiRequests: requests.filter((q) => q.kind === 'api').length,
    gitRequests: requests.filter((q) => q.kind === 'git').length,
    apiBytesOut: requests.filter((q) => q.kind === 'api').reduce((sum, q) => sum + q.bytesOut, 0),
  };
}

interface ReportJson {
  dryRun: boolean;
  repos: {
    repo: string;
    categories: { category: string; status: string; added: string[]; removed: string[]; modified: string[]; error: string | null }[];
    pullRequest: { action: string } | null;
  }[];
}

const changes = (t: CategoryTruth) => t.added.length + t.removed.length + t.modified.length;
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** What is wrong with a run's outcome, measured against the known truth ([] when nothing). */
export function checkRun(run: Pick<Run, 'code' | 'stdout' | 'stderr'>, truth: Record<string, CategoryTruth>, expectPr: 'none' | 'created' | 'unchanged'): string[] {
  if (run.code !== 0) return [`exit code ${run.code === null ? 'timeout' : run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`];
  let report: ReportJson;
  try {
    report = JSON.parse(run.stdout) as ReportJson;
  } catch {
    return ['stdout is not the JSON report'];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const repo of report.repos) {
    let repoChanged = false;
    for (const c of repo.categories) {
      seen.add(c.category);
      const t = truth[c.category];
      if (t === undefined) {
        problems.push(`${c.category}: not in the truth`);
        continue;
      }
      repoChanged ||= changes(t) > 0;
      const status = changes(t) > 0 ? 'changed' : 'in-sync';
      if (c.status !== status) problems.push(`${c.category}: status ${c.status}, expected ${status}${c.error ? ` (${c.error.slice(0, 200)})` : ''}`);
      for (const kind of ['added', 'removed', 'modified'] as const) {
        if (!same(c[kind], t[kind])) problems.push(`${c.category}: ${kind} ${c[kind].length} entries, expected ${t[kind].length}${c[kind].length === t[kind].length ? ' (different names)' : ''}`);
      }
    }
    const action = repo.pullRequest?.action ?? 'none';
    const wanted = expectPr === 'none' || !repoChanged ? 'none' : expectPr;
    if (action !== wanted) problems.push(`${repo.repo}: pull request ${action}, expected ${wanted}`);
  }
  for (const category of ALL_CATEGORIES) if (!seen.has(category)) problems.push(`${category}: missing from the report`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Floors: the same I/O with plain HTTP and git

const IMAGE_PATHS = ['blip.json', 'clip.json', 'codeformer.json', 'controlnet.json', 'esrgan.json', 'gfpgan.json', 'miscellaneous.json', 'safety_checker.json', 'stable_diffusion.json'];
const TEXT_PATHS = ['models.csv', 'db.json', 'defaults.json', 'generation_params.json'];

function gitEnv(s: SyncScenario, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${new URL(s.gh.url).origin}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${s.token}`).toString('base64')}`,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.invalid',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  };
}

/** Asynchronous only: the fakes live in this process and must keep answering. */
function git(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<void> {
  return new Promise((ok, fail) => {
    execFile('git', args, { env, cwd, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) fail(new Error(`git ${args[0]} failed: ${String(stderr).trim()}`));
      else ok();
    });
  });
}

async function fetchPrimary(s: SyncScenario, concurrency: number = ALL_CATEGORIES.length): Promise<number> {
  let total = 0;
  const queue = [...ALL_CATEGORIES];
  const worker = async () => {
    for (let category = queue.shift(); category !== undefined; category = queue.shift()) {
      const response = await fetch(`${s.primary.url}/model_references/v1/${category}`);
      const body = await response.text();
      if (response.status !== 200) throw new Error(`PRIMARY ${category}: HTTP ${response.status}`);
      total += body.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total;
}

async function sparseClone(s: SyncScenario, repo: string, paths: string[], dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  await git(['clone', '--quiet', '--depth=1', '--filter=blob:none', '--sparse', '--no-checkout', '--single-branch', '--no-tags', '--branch=main', `${s.gh.url}/${s.owner}/${repo}.git`, dir], env);
  await git(['sparse-checkout', 'set', '--no-cone', ...paths.map((p) => `/${p}`)], env, dir);
  await git(['checkout', '--quiet', 'main'], env, dir);
}

async function commitAndPush(dir: string, files: Record<string, string>, env: NodeJS.ProcessEnv): Promise<void> {
  const branch = `sync/floor-${Math.random().toString(36).slice(2, 8)}`;
  await git(['checkout', '--quiet', '-B', branch], env, dir);
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text);
  await git(['add', '--', ...Object.keys(files)], env, dir);
  await git(['commit', '--quiet', '--no-verify', '-m', 'floor'], env, dir);
  await git(['push', '--quiet', '--no-verify', 'origin', `HEAD:refs/heads/${branch}`], env, dir);
}

interface FloorRun {
  /** Everything at once: PRIMARY's bodies ∥ each repository's git work. */
  readonly ms: number;
  readonly primaryMs: number;
  readonly imageMs: number;
  readonly textMs: number;
  /** The same work one step after another, as issue #7 measured its floors (1.25 s / 0.40 s at 1×). */
  readonly sequentialMs: number;
}

/**
 * What plain HTTP and git need for the same work, measured twice: everything concurrently (the
 * lowest wall time possible) and one step after another (PRIMARY's bodies one by one, then each
 * repository), which is how issue #7 measured its floors and set the 1× "≤ 1.6× floor" budget.
 */
async function measureFloor(s: SyncScenario, written: WrittenFiles | null): Promise<FloorRun> {
  const timed = async (work: () => Promise<unknown>): Promise<number> => {
    const t = performance.now();
    await work();
    return performance.now() - t;
  };
  const repoWork = (base: string, env: NodeJS.ProcessEnv, repo: string, paths: string[], files: Record<string, string> | undefined) => async () => {
    const dir = join(base, repo);
    await sparseClone(s, repo, paths, dir, env);
    if (files !== undefined && Object.keys(files).length > 0) await commitAndPush(dir, files, env);
  };
  const concurrent = await mkdtemp(join(workDir, 'floor-'));
  let result: Omit<FloorRun, 'sequentialMs'>;
  try {
    const env = gitEnv(s, concurrent);
    const started = performance.now();
    const [primaryMs, imageMs, textMs] = await Promise.all([
      timed(() => fetchPrimary(s)),
      timed(repoWork(concurrent, env, s.imageRepo, IMAGE_PATHS, written?.image)),
      timed(repoWork(concurrent, env, s.textRepo, TEXT_PATHS, written?.text)),
    ]);
    result = { ms: performance.now() - started, primaryMs, imageMs, textMs };
  } finally {
    await rm(concurrent, { recursive: true, force: true });
  }
  // The sequential floor pushes to a branch of its own, so the two measurements do not meet.
  const sequential = await mkdtemp(join(workDir, 'floor-seq-'));
  try {
    const env = gitEnv(s, sequential);
    const started = performance.now();
    await fetchPrimary(s, 1);
    await repoWork(sequential, env, s.imageRepo, IMAGE_PATHS, written?.image)();
    await repoWork(sequential, env, s.textRepo, TEXT_PATHS, written?.text)();
    return { ...result, sequentialMs: performance.now() - started };
  } finally {
    await rm(sequential, { recursive: true, force: true });
  }
}

interface WrittenFiles {
  readonly image: Record<string, string>;
  readonly text: Record<string, string>;
}

/** The files the tool pushed on its sync branch (to commit the very same bytes in the floor). */
async function capturePushed(s: SyncScenario, data: ScenarioData): Promise<WrittenFiles> {
  const grab = async (repo: string, paths: string[], baseFiles: Record<string, string>) => {
    const files: Record<string, string> = {};
    for (const path of paths) {
      const text = await s.gh.readFile(s.owner, repo, 'sync/from-primary', path);
      if (text !== null && text !== baseFiles[path]) files[path] = text;
    }
    return files;
  };
  return { image: await grab(s.imageRepo, IMAGE_PATHS, data.imageRepo), text: await grab(s.textRepo, TEXT_PATHS, data.textRepo) };
}

/** Without a successful tool run: the changed files with one byte more, as a stand-in. */
function standInWrites(scenario: GeneratedScenario): WrittenFiles {
  const touch = (t: string | undefined): string => (t ?? '') + ' ';
  const image: Record<string, string> = {};
  if (changes(scenario.truth['image_generation'] as CategoryTruth) > 0) image['stable_diffusion.json'] = touch(scenario.data.imageRepo['stable_diffusion.json']);
  const text: Record<string, string> = {};
  if (changes(scenario.truth['text_generation'] as CategoryTruth) > 0) {
    text['models.csv'] = touch(scenario.data.textRepo['models.csv']);
    text['db.json'] = touch(scenario.data.textRepo['db.json']);
  }
  return { image, text };
}

// ---------------------------------------------------------------------------------------------
// Results

export const CASES = ['help', 'dry-run', 'full-sync', 're-run'] as const;
export type CaseName = (typeof CASES)[number];

export interface CaseResult {
  readonly case: CaseName;
  readonly scale: number | null;
  readonly data: string;
  readonly runs: { ms: number; cpuMs: number | null; peakKb: number | null; apiRequests: number; gitRequests: number; apiBytesOut: number }[];
  readonly medianS: number | null;
  readonly minS: number | null;
  readonly maxS: number | null;
  readonly cpuS: number | null;
  readonly peakRssMb: number | null;
  readonly floorS: number | null;
  readonly sequentialFloorS: number | null;
  readonly floorDetail: FloorRun[];
  readonly ratio: number | null;
  readonly sequentialRatio: number | null;
  readonly budget: Budget | null;
  readonly problems: string[];
  readonly overBudget: string[];
  readonly pass: boolean;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function summarize(name: CaseName, scale: number | null, data: string, runs: Run[], floors: FloorRun[], problems: string[]): CaseResult {
  const ok = runs.filter((r) => r.code === 0);
  const times = ok.map((r) => r.ms / 1000);
  const medianS = median(times);
  const floorS = median(floors.map((f) => f.ms / 1000));
  const sequentialFloorS = median(floors.map((f) => f.sequentialMs / 1000));
  const peaks = runs.map((r) => r.peakKb).filter((k): k is number => k !== null);
  const peakRssMb = peaks.length > 0 ? Math.max(...peaks) / 1024 : null;
  const cpus = ok.map((r) => r.cpuMs).filter((c): c is number => c !== null);
  const budget = budgetFor(name, scale ?? 1) ?? null;
  const ratio = medianS !== null && floorS !== null && floorS > 0 ? medianS / floorS : null;
  // The budget's ratio is against the floor as issue #7 measured it (one step after another).
  const sequentialRatio = medianS !== null && sequentialFloorS !== null && sequentialFloorS > 0 ? medianS / sequentialFloorS : null;
  const overBudget: string[] = [];
  if (budget !== null) {
    if (medianS === null) overBudget.push('no successful run');
    else if (medianS > budget.timeS) overBudget.push(`time ${medianS.toFixed(2)} s > ${budget.timeS} s`);
    if (budget.floorRatio !== undefined && sequentialRatio !== null && sequentialRatio > budget.floorRatio) {
      overBudget.push(`ratio to sequential floor ${sequentialRatio.toFixed(2)} > ${budget.floorRatio}`);
    }
    if (budget.rssMb !== undefined && peakRssMb !== null && peakRssMb > budget.rssMb) overBudget.push(`RSS ${peakRssMb.toFixed(0)} MB > ${budget.rssMb} MB`);
  }
  return {
    case: name,
    scale,
    data,
    runs: runs.map((r) => ({ ms: r.ms, cpuMs: r.cpuMs, peakKb: r.peakKb, apiRequests: r.apiRequests, gitRequests: r.gitRequests, apiBytesOut: r.apiBytesOut })),
    medianS,
    minS: times.length ? Math.min(...times) : null,
    maxS: times.length ? Math.max(...times) : null,
    cpuS: median(cpus.map((c) => c / 1000)),
    peakRssMb,
    floorS,
    sequentialFloorS,
    floorDetail: floors,
    ratio,
    sequentialRatio,
    budget,
    problems: [...new Set(problems)],
    overBudget,
    pass: problems.length === 0 && overBudget.length === 0,
  };
}

function budgetText(b: Budget | null): string {
  if (b === null) return '-';
  const parts = [`≤${b.timeS} s`];
  if (b.floorRatio !== undefined) parts.push(`≤${b.floorRatio}× sequential floor`);
  if (b.rssMb !== undefined) parts.push(b.rssMb >= 1024 ? `≤${b.rssMb / 1024} GB` : `≤${b.rssMb} MB`);
  return parts.join(', ');
}

export interface GrowthResult {
  readonly case: CaseName;
  readonly from: number;
  readonly to: number;
  readonly factor: number;
  readonly limit: number;
  readonly pass: boolean;
}

function growth(results: CaseResult[]): GrowthResult[] {
  const out: GrowthResult[] = [];
  for (const name of ['dry-run', 'full-sync', 're-run'] as const) {
    const at = (scale: number) => results.find((r) => r.case === name && r.scale === scale)?.medianS ?? null;
    const a = at(10);
    const b = at(100);
    if (a !== null && b !== null) out.push({ case: name, from: 10, to: 100, factor: b / a, limit: GROWTH_LIMIT, pass: b / a <= GROWTH_LIMIT });
  }
  return out;
}

export function formatTable(results: CaseResult[], growths: GrowthResult[]): string {
  const f = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
  const header = ['case', 'scale', 'n', 'median s', 'min s', 'max s', 'cpu s', 'peak RSS MB', 'floor s (all at once / in sequence)', 'ratio', 'budget', 'result'];
  const rows = results.map((r) => [
    r.case,
    r.scale === null ? '-' : `${r.scale}x`,
    String(r.runs.length),
    f(r.medianS),
    f(r.minS),
    f(r.maxS),
    f(r.cpuS),
    f(r.peakRssMb, 0),
    r.floorS === null ? '-' : `${f(r.floorS)} / ${f(r.sequentialFloorS)}`,
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x / ${r.sequentialRatio?.toFixed(2) ?? '-'}x`,
    budgetText(r.budget),
    r.problems.length > 0 ? `WRONG: ${r.problems.slice(0, 2).join('; ')}` : r.overBudget.length > 0 ? `FAIL: ${r.overBudget.join('; ')}` : 'pass',
  ]);
  for (const g of growths) rows.push([`growth ${g.case}`, `${g.from}x→${g.to}x`, '', `${g.factor.toFixed(1)}x`, '', '', '', '', '', '', `≤${g.limit}x`, g.pass ? 'pass' : `FAIL: ${g.factor.toFixed(1)}x > ${g.limit}x`]);
  for (const row of rows) for (let i = 0; i < row.length; i++) row[i] = (row[i] ?? '').replaceAll('|', '/');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function loadScenario(scale: number, options: BenchOptions): Promise<GeneratedScenario> {
  if (scale === 1) return realScenario(options.dataDir);
  const seed = options.seed;
  if (options.cacheDir !== undefined) {
    const generator = readFileSync(fileURLToPath(new URL('./generate.js', import.meta.url)), 'utf8');
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update(generator).update(String(scale)).update(String(seed)).update(options.dataDir ?? '').digest('hex').slice(0, 16);
    const file = join(options.cacheDir, `scenario-${scale}x-${key}.json`);
    if (existsSync(file)) {
      log(`${scale}x: cached data from ${file}`);
      return JSON.parse(await readFile(file, 'utf8')) as GeneratedScenario;
    }
    const scenario = generateScenario({ scale, ...(seed !== undefined ? { seed } : {}), dataDir: options.dataDir });
    await mkdir(options.cacheDir, { recursive: true });
    await writeFile(file, JSON.stringify(scenario));
    return scenario;
  }
  return generateScenario({ scale, ...(seed !== undefined ? { seed } : {}), dataDir: options.dataDir });
}

function describeData(g: GeneratedScenario): string {
  const mb = (n: number | undefined) => `${((n ?? 0) / 1e6).toFixed(1)} MB`;
  return `${g.label}: stable_diffusion.json ${mb(g.stats.bytes['image/stable_diffusion.json'])}, db.json ${mb(g.stats.bytes['text/db.json'])}, models.csv ${mb(g.stats.bytes['text/models.csv'])}`;
}

// ---------------------------------------------------------------------------------------------
// Main

export async function runBench(options: BenchOptions): Promise<{ results: CaseResult[]; growths: GrowthResult[]; table: string; exitCode: number }> {
  workDir = await mkdtemp(join(tmpdir(), 'hms-bench-'));
  cliScript = options.cli;
  const results: CaseResult[] = [];
  try {
    // --help: cold start, no servers.
    {
      const runs: Run[] = [];
      const problems: string[] = [];
      for (let i = 0; i < options.helpReps; i++) {
        const run = await runMeasured(['--help'], {});
        runs.push(run);
        if (run.code !== 0 || !/usage/i.test(run.stdout + run.stderr)) problems.push(`--help: exit code ${run.code}`);
      }
      results.push(summarize('help', null, '-', runs, [], problems));
      log(`--help: median ${results[results.length - 1]?.medianS?.toFixed(3)} s`);
    }

    for (const scale of options.scales) {
      const t0 = performance.now();
      const scenario = await loadScenario(scale, options);
      const dataLabel = describeData(scenario);
      log(`${scale}x: ${dataLabel} (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      const { truth, data } = scenario;

      // Dry run, interleaved with its floor (PRIMARY bodies ∥ sparse clones), on one scenario.
      {
        const s = await startSyncScenario({ data });
        const runs: Run[] = [];
        const floors: FloorRun[] = [];
        const problems: string[] = [];
        try {
          for (let i = 0; i < options.reps; i++) {
            const run = await runMeasured([...s.args, '--dry-run', '--json'], s.env, s);
            runs.push(run);
            problems.push(...checkRun(run, truth, 'none'));
            if (run.gitRequests > 0) problems.push('the dry run used git');
            floors.push(await measureFloor(s, null));
            log(`${scale}x dry-run #${i + 1}: ${(run.ms / 1000).toFixed(2)} s (floor ${((floors[i]?.ms ?? 0) / 1000).toFixed(2)} s)${problems.length ? ' ' + problems[0] : ''}`);
          }
        } finally {
          await s.close();
        }
        results.push(summarize('dry-run', scale, dataLabel, runs, floors, problems));
      }

      // Full sync (fresh scenario per repetition), the identical re-run, and the floor
      // (PRIMARY bodies ∥ sparse clone + commit + push of each repository) on another fresh scenario.
      {
        const syncRuns: Run[] = [];
        const rerunRuns: Run[] = [];
        const floors: FloorRun[] = [];
        const syncProblems: string[] = [];
        const rerunProblems: string[] = [];
        let written: WrittenFiles | null = null;
        for (let i = 0; i < options.reps; i++) {
          const s = await startSyncScenario({ data });
          try {
            const run = await runMeasured([...s.args, '--json'], s.env, s);
            syncRuns.push(run);
            const problems = checkRun(run, truth, 'created');
            syncProblems.push(...problems);
            if (written === null && problems.length === 0) written = await capturePushed(s, data);
            const again = await runMeasured([...s.args, '--json'], s.env, s);
            rerunRuns.push(again);
            rerunProblems.push(...checkRun(again, truth, problems.length === 0 ? 'unchanged' : 'none'));
            if (problems.length === 0 && again.gitRequests > 0) rerunProblems.push('the re-run used git');
            log(`${scale}x full-sync #${i + 1}: ${(run.ms / 1000).toFixed(2)} s, re-run ${(again.ms / 1000).toFixed(2)} s${problems.length ? ' ' + problems[0] : ''}`);
          } finally {
            await s.close();
          }
          const f = await startSyncScenario({ data });
          try {
            floors.push(await measureFloor(f, written ?? standInWrites(scenario)));
            log(`${scale}x full floor #${i + 1}: ${((floors[i]?.ms ?? 0) / 1000).toFixed(2)} s at once, ${((floors[i]?.sequentialMs ?? 0) / 1000).toFixed(2)} s in sequence`);
          } finally {
            await f.close();
          }
        }
        results.push(summarize('full-sync', scale, dataLabel, syncRuns, floors, syncProblems));
        results.push(summarize('re-run', scale, dataLabel, rerunRuns, results.find((r) => r.case === 'dry-run' && r.scale === scale)?.floorDetail ?? [], rerunProblems));
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const growths = growth(results);
  const table = formatTable(results, growths);
  const wrong = results.some((r) => r.problems.length > 0);
  const over = results.some((r) => r.overBudget.length > 0) || growths.some((g) => !g.pass);
  const exitCode = wrong ? 1 : over ? 2 : 0;
  await mkdir(resolve(options.out, '..'), { recursive: true });
  await writeFile(
    options.out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        machine: { cpus: cpus().length, loadavg: loadavg() },
        options: { ...options },
        results,
        growth: growths,
        table,
        exitCode,
      },
      null,
      2,
    ) + '\n',
  );
  return { results, growths, table, exitCode };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let options: BenchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exit(2);
  }
  log(`node ${process.version}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; data ${options.dataDir ?? 'fixtures/sync (no --data)'}; scales ${options.scales.join(',')}; ${options.reps} reps`);
  const { table, exitCode } = await runBench(options);
  process.stdout.write(table + '\n');
  log(`results in ${options.out}; exit ${exitCode}`);
  process.exitCode = exitCode;
}
