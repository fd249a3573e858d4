/** Shared helpers for the end-to-end tests: run the CLI against a scenario and read its report. */
import { runCli, type RunCliResult } from '../support/run-cli.js';
import type { SyncScenario } from '../support/sync-scenario.js';

export interface CategoryJson {
  category: string;
  files: string[];
  status: 'changed' | 'in-sync' | 'skipped' | 'error';
  added: string[];
  removed: string[];
  modified: string[];
  error: string | null;
}

export interface ReportJson {
  dryRun: boolean;
  repos: { repo: string; categories: CategoryJson[]; pullRequest: { number: number | null; url: string | null; action: string } | null }[];
}

export interface SyncResult {
  run: RunCliResult;
  report: ReportJson | undefined;
}

const SECRET_VARS = ['HORDE_GITHUB_SYNC_GITHUB_TOKEN', 'GITHUB_TOKEN', 'GITHUB_APP_PRIVATE_KEY'];

/** Runs the built CLI with `--json` against the scenario, watching every process's argv for the token. */
export async function syncJson(s: SyncScenario, extra: string[] = [], env: Record<string, string | undefined> = {}): Promise<SyncResult> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...s.env, ...env })) if (v !== undefined) merged[k] = v;
  // Every credential given to this run: the scenario's token and any the test passed instead.
  const secrets = [s.token, ...SECRET_VARS.map((name) => merged[name]).filter((v): v is string => v !== undefined && v.length >= 8)];
  const run = await runCli([...s.args, '--json', ...extra], { env: merged, watchSecrets: secrets });
  // Secrets must never reach any process's argv, stdout or stderr — checked on every run, error paths included.
  if (run.secretSightings.length > 0) throw new Error(`a credential appeared in the argv of: ${run.secretSightings.join(', ')}`);
  for (const secret of secrets) {
    if (run.stdout.includes(secret) || run.stderr.includes(secret)) throw new Error('a credential appeared in the CLI output');
  }
  let report: ReportJson | undefined;
  if (run.stdout.trim() !== '') report = JSON.parse(run.stdout) as ReportJson;
  return { run, report };
}

export function category(result: SyncResult, name: string): CategoryJson {
  for (const repo of result.report?.repos ?? []) {
    const found = repo.categories.find((c) => c.category === name);
    if (found) return found;
  }
  throw new Error(`no category ${name} in the report; stderr:\n${result.run.stderr}`);
}

export function pullRequestOf(result: SyncResult, repo: string) {
  return result.report?.repos.find((r) => r.repo.endsWith(`/${repo}`))?.pullRequest ?? null;
}
