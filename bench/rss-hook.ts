/**
 * Loaded into the CLI by the benchmark (`NODE_OPTIONS=--import=<this file>`): when the process
 * exits, writes its peak resident set size (VmHWM from /proc/self/status, in kB) and its CPU time
 * to the file named by HMS_BENCH_RSS_FILE, as JSON. Measures the Node process only, not the git
 * children it starts.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env['HMS_BENCH_RSS_FILE'];
if (target) {
  process.on('exit', () => {
    let peakKb: number | null = null;
    try {
      const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) peakKb = Number(match[1]);
    } catch {
      // No /proc (not Linux): the benchmark reports the RSS as unknown.
    }
    const cpu = process.cpuUsage();
    try {
      writeFileSync(target, JSON.stringify({ peakKb, cpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
    } catch {
      // The benchmark treats a missing file as "unknown".
    }
  });
}
