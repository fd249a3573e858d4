/**
 * The deployment recipes in deploy/: systemd units checked by `systemd-analyze verify` where
 * systemd is installed and by a structural parse everywhere, the crontab line and the GitHub
 * Actions workflow parsed, and every command line they contain checked against the CLI's options.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildProgram } from '../../src/cli/program.js';
import { parseDuration } from '../../src/watch/duration.js';
import { projectRoot } from '../support/sync-scenario.js';

const root = projectRoot();
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const UNITS = ['deploy/systemd/horde-model-sync.service', 'deploy/systemd/horde-model-sync.timer', 'deploy/systemd/horde-model-sync-watch.service'];

type Unit = Map<string, [string, string][]>;

/** systemd's unit syntax: [Section] headers, Key=Value lines, # and ; comments. */
function parseUnit(text: string, file: string): Unit {
  const unit: Unit = new Map();
  let section: [string, string][] | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      section = [];
      unit.set(header[1]!, section);
      return;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!pair || section === undefined) throw new Error(`${file}:${i + 1}: not a Key=Value line inside a section: ${raw}`);
    if (line.endsWith('\\')) throw new Error(`${file}:${i + 1}: continuation lines are not used in these units`);
    section.push([pair[1]!, pair[2]!]);
  });
  return unit;
}

/** The keys these units may use (systemd.unit(5), systemd.service(5), systemd.exec(5), systemd.timer(5)): a typo is an error. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  Unit: ['Description', 'Documentation', 'Wants', 'After', 'Requires', 'Before'],
  Service: [
    'Type', 'User', 'Group', 'EnvironmentFile', 'Environment', 'StateDirectory', 'WorkingDirectory', 'ExecStart', 'SuccessExitStatus',
    'TimeoutStartSec', 'TimeoutStopSec', 'KillSignal', 'Restart', 'RestartSec', 'PrivateTmp', 'NoNewPrivileges', 'ProtectSystem',
    'ProtectHome', 'ProtectKernelTunables', 'ProtectControlGroups', 'RestrictSUIDSGID',
  ],
  Timer: ['OnCalendar', 'RandomizedDelaySec', 'Persistent', 'Unit'],
  Install: ['WantedBy'],
};

const values = (unit: Unit, section: string, key: string): string[] => (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
const value = (unit: Unit, section: string, key: string): string | undefined => values(unit, section, key).at(-1);

/** Checks a horde-model-sync command line against the real option parser's option names. */
function checkCommandLine(args: readonly string[]): void {
  const program = buildProgram(async () => 0, () => {});
  const first = args[0] ?? '';
  const command = program.commands.find((c) => c.name() === first) ?? program;
  const known = new Set(command.options.flatMap((o) => [o.long, o.short].filter((n): n is string => n !== undefined)));
  for (let i = command === program ? 0 : 1; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) continue;
    const name = arg.split('=')[0]!;
    expect(known, `${name} is not an option of ${command.name()}`).toContain(name);
    const option = command.options.find((o) => o.long === name || o.short === name)!;
    if (option.required && !arg.includes('=')) {
      const optionValue = args[++i];
      expect(optionValue, `${name} needs a value`).toBeDefined();
      if (name === '--interval') expect(parseDuration(optionValue!)).toBeGreaterThanOrEqual(1000);
      if (name === '--log-format') expect(['human', 'json']).toContain(optionValue);
    }
  }
}

/** The arguments after bin/horde-model-sync.js in a command line. */
function toolArgs(commandLine: string): string[] {
  const words = commandLine.split(/\s+/).filter((w) => w !== '');
  const index = words.findIndex((w) => w.endsWith('bin/horde-model-sync.js'));
  expect(index, `no bin/horde-model-sync.js in: ${commandLine}`).toBeGreaterThanOrEqual(0);
  const rest = words.slice(index + 1);
  const end = rest.findIndex((w) => w === '|' || w.startsWith('>') || w.startsWith('2>'));
  return end >= 0 ? rest.slice(0, end) : rest;
}

function structuralCheck(): void {
  const units = new Map(UNITS.map((path) => [path.split('/').pop()!, parseUnit(read(path), path)] as const));
  for (const [name, unit] of units) {
    for (const [section, pairs] of unit) {
      expect(Object.keys(KNOWN_KEYS), `${name}: unknown section [${section}]`).toContain(section);
      for (const [key] of pairs) expect(KNOWN_KEYS[section], `${name}: unknown key ${key} in [${section}]`).toContain(key);
    }
    expect(value(unit, 'Unit', 'Description'), `${name} has a Description`).toBeTruthy();
  }
  const service = units.get('horde-model-sync.service')!;
  const timer = units.get('horde-model-sync.timer')!;
  const watch = units.get('horde-model-sync-watch.service')!;
  expect(value(service, 'Service', 'Type')).toBe('oneshot');
  expect(value(watch, 'Service', 'Type')).toBe('simple');
  expect(value(timer, 'Timer', 'OnCalendar')).toBe('hourly');
  expect(value(timer, 'Timer', 'Unit') ?? 'horde-model-sync.service').toBe('horde-model-sync.service');
  expect(value(timer, 'Install', 'WantedBy')).toBe('timers.target');
  expect(value(watch, 'Install', 'WantedBy')).toBe('multi-user.target');
  expect(service.has('Install'), 'the timer, not the service, is enabled').toBe(false);
  for (const unit of [service, watch]) {
    expect(value(unit, 'Service', 'EnvironmentFile')).toBe('/etc/horde-model-sync/env');
    const exec = value(unit, 'Service', 'ExecStart')!;
    expect(exec).toMatch(/^\/\S+\/node \/\S+\/bin\/horde-model-sync\.js /);
    checkCommandLine(toolArgs(exec));
    // The state directory systemd creates is the one the tool uses.
    expect(values(unit, 'Service', 'Environment')).toContain(`HORDE_GITHUB_SYNC_STATE_DIR=%S/${value(unit, 'Service', 'StateDirectory')}`);
  }
  expect(toolArgs(value(watch, 'Service', 'ExecStart')!)[0]).toBe('watch');
  expect(value(service, 'Service', 'SuccessExitStatus')).toBe('75');
}

describe('deploy: systemd units', () => {
  it('pass the structural check: known sections and keys, the timer/service pair, valid command lines', () => {
    structuralCheck();
  });

  it('pass `systemd-analyze verify` (where systemd is not installed, the structural check stands in)', () => {
    const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (probe.error !== undefined || probe.status !== 0) {
      structuralCheck();
      return;
    }
    // verify insists that ExecStart's program exists: point it at this machine's node.
    const dir = mkdtempSync(join(tmpdir(), 'hms-units-'));
    try {
      const paths = UNITS.map((path) => {
        const target = join(dir, path.split('/').pop()!);
        writeFileSync(target, read(path).replaceAll('/usr/bin/node', process.execPath));
        return target;
      });
      const result = spawnSync('systemd-analyze', ['verify', ...paths], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_LEVEL: 'warning' } });
      expect(result.stderr.trim(), 'systemd-analyze printed warnings').toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy: crontab', () => {
  it('is one valid schedule line running the tool (no flock), with a PATH that reaches node', () => {
    const lines = read('deploy/cron/horde-model-sync.crontab')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const env = lines.filter((l) => /^[A-Z_]+=/.test(l));
    const jobs = lines.filter((l) => !/^[A-Z_]+=/.test(l));
    expect(env.some((l) => l.startsWith('PATH=') && l.includes('/usr/bin'))).toBe(true);
    expect(jobs).toHaveLength(1);
    const fields = jobs[0]!.trim().split(/\s+/);
    const ranges: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
    ranges.forEach(([lo, hi], i) => {
      const field = fields[i]!;
      if (field === '*') return;
      expect(Number(field), `crontab field ${i + 1}`).toBeGreaterThanOrEqual(lo);
      expect(Number(field), `crontab field ${i + 1}`).toBeLessThanOrEqual(hi);
    });
    const command = fields.slice(5).join(' ');
    expect(command).not.toMatch(/flock/);
    // % is special in crontab (a newline): the command must not contain an unescaped one.
    expect(command).not.toMatch(/(^|[^\\])%/);
    checkCommandLine(toolArgs(command));
  });
});

describe('deploy: GitHub Actions workflow', () => {
  it('parses, runs on a schedule and by hand, with an App or a token, never two at once', () => {
    const workflow = parseYaml(read('deploy/github-actions/horde-model-sync.yml')) as {
      on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: { command: { options: string[] } } } };
      permissions: Record<string, string>;
      concurrency: { group: string; 'cancel-in-progress': boolean };
      jobs: Record<string, { env: Record<string, string>; steps: { uses?: string; run?: string; if?: string }[] }>;
    };
    expect(workflow.on.schedule[0]!.cron.split(' ')).toHaveLength(5);
    expect(workflow.on.workflow_dispatch.inputs.command.options).toEqual(['sync', 'dry-run', 'doctor']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.concurrency['cancel-in-progress']).toBe(false);
    const job = Object.values(workflow.jobs)[0]!;
    expect(Object.keys(job.env)).toEqual(expect.arrayContaining(['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'HORDE_GITHUB_SYNC_GITHUB_TOKEN']));
    expect(job.env['GITHUB_APP_PRIVATE_KEY']).toMatch(/^\$\{\{ secrets\./);
    expect(job.env['HORDE_GITHUB_SYNC_GITHUB_TOKEN']).toMatch(/^\$\{\{ secrets\./);
    expect(job.steps.some((s) => s.run === 'npm ci')).toBe(true);
    const runs = job.steps.filter((s) => s.run?.includes('bin/horde-model-sync.js'));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const step of runs) checkCommandLine(toolArgs(step.run!));
  });
});

describe('deploy: documentation', () => {
  it('the README references every recipe', () => {
    const readme = read('README.md');
    for (const path of [...UNITS, 'deploy/cron/horde-model-sync.crontab', 'deploy/github-actions/horde-model-sync.yml']) expect(readme).toContain(path);
  });
});
