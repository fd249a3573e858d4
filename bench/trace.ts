/**
 * `node dist/bench/trace.js [--data <dir>] [--dry-run] [--scale N --cache <dir>]`: one run of the
 * built CLI against the loopback fakes, with every request the fake GitHub and fake PRIMARY saw on a
 * time line relative to the CLI's start — to see where a run waits. `--cpu-prof <dir>` also writes
 * the CLI's CPU profile there (node's --cpu-prof is not allowed in NODE_OPTIONS).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCli } from '../test/support/run-cli.js';
import { startSyncScenario } from '../test/support/sync-scenario.js';
import { defaultDataDir, projectRoot, realScenario, type GeneratedScenario } from './generate.js';
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const dataIdx = argv.indexOf('--data');
const dataDir = dataIdx >= 0 ? argv[dataIdx + 1] : defaultDataDir();
const dryRun = argv.includes('--dry-run');
// `--scenario <file>`: a generated scenario saved by `npm run bench -- --cache <dir>`.
const scenarioIdx = argv.indexOf('--scenario');
const scenarioFile = scenarioIdx >= 0 ? argv[scenarioIdx + 1] : undefined;
const scenario = scenarioFile !== undefined ? (JSON.parse(readFileSync(scenarioFile, 'utf8')) as GeneratedScenario) : realScenario(dataDir);
const extraIdx = argv.indexOf('--node-options');
const nodeOptions = extraIdx >= 0 ? argv[extraIdx + 1] : undefined;
const profIdx = argv.indexOf('--cpu-prof');
const nodeArgs = profIdx >= 0 ? ['--cpu-prof', `--cpu-prof-dir=${argv[profIdx + 1] ?? '.'}`] : [];
const s = await startSyncScenario({ data: scenario.data });
try {
  const t0 = performance.now();
  const args = [...s.args, '--json', ...(dryRun ? ['--dry-run'] : [])];
  const strace = argv.includes('--strace');
  const r = strace
    ? await new Promise<{ code: number | null; stderr: string }>((resolveRun) => {
        const child = spawn('strace', ['-f', '-tt', '-e', 'trace=execve,exit_group', '-o', '/tmp/trace/strace.out', process.execPath, join(projectRoot(), 'bin', 'horde-model-sync.js'), ...args], { env: { ...process.env, ...s.env }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolveRun({ code, stderr }));
      })
    : await runCli(args, { env: { ...s.env, ...(nodeOptions !== undefined ? { NODE_OPTIONS: nodeOptions } : {}) }, timeoutMs: 600_000, nodeArgs });
  process.stdout.write(`t0 ${new Date(performance.timeOrigin + t0).toISOString()}\n`);
  const total = performance.now() - t0;
  for (const q of s.gh.requests) {
    const start = q.startedAt - t0;
    process.stdout.write(`${start.toFixed(0).padStart(6)} +${q.durationMs.toFixed(0).padStart(5)} ms ${q.kind} ${q.method} ${q.path}${q.query}\n`);
  }
  process.stdout.write(`total ${total.toFixed(0)} ms, exit ${r.code}\n`);
  if (r.code !== 0) process.stdout.write(r.stderr);
} finally {
  await s.close();
}
