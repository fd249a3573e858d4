/**
 * `horde-model-sync doctor`: checks, without writing anything anywhere, that a real run with these
 * settings would work — settings, PRIMARY, each repository and branch, the credential's rights,
 * the labels, the state directory and git — and says what to fix for each failure. Exit 0 only
 * when nothing failed; 2 when the settings themselves are invalid; 1 otherwise.
 */
import { Chalk } from 'chalk';
import { octokitOptionsFor, primaryClientFor, userAgentFor } from './clients.js';
import { resolveSettings, type CliFlags, type Settings } from '../config/settings.js';
import { ExitCode, UsageError } from '../errors.js';
import { createLogger, useColor } from '../util/logger.js';
import { redactSecrets } from '../util/redact.js';
import { fail, pass, skip, type Check } from './doctor/check.js';
import { DoctorClients } from './doctor/clients.js';
import { githubChecks } from './doctor/github-checks.js';
import { gitCheck, stateDirCheck } from './doctor/local-checks.js';
import { primaryChecks } from './doctor/primary-checks.js';
import { doctorVerdict, renderDoctor } from './doctor/render.js';
import { settingsView } from './doctor/settings-view.js';
import { secretsOf } from './secrets.js';
import type { CommandIo } from './sync.js';

const SETTINGS_FIX = 'correct the flag or variable named (see .env.sync.example for every setting and its accepted values)';

type Resolved = { readonly settings: Settings; readonly credentialProblem: string | undefined } | { readonly problems: readonly string[] };

/**
 * The settings exactly as `sync` resolves them. A missing credential is the one problem that does
 * not stop the other checks: they run anonymously, and the credential check says what to set.
 */
function resolveForDoctor(flags: CliFlags, io: CommandIo): Resolved {
  const context = { env: io.env, cwd: io.cwd };
  try {
    return { settings: resolveSettings(flags, context), credentialProblem: undefined };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    try {
      const asDryRun = resolveSettings({ ...flags, dryRun: true }, context);
      return { settings: { ...asDryRun, dryRun: false }, credentialProblem: error.problems.join('; ') };
    } catch {
      return { problems: error.problems };
    }
  }
}

function settingsCheck(settings: Settings, credentialProblem: string | undefined): Check {
  const from = settings.envFile !== undefined ? `flags, environment and ${settings.envFile}` : 'flags and environment (no env file)';
  return pass('settings', credentialProblem !== undefined ? `valid except the credential (see below); read from ${from}` : `valid; read from ${from}`);
}

async function runChecks(settings: Settings, credentialProblem: string | undefined, io: CommandIo): Promise<Check[]> {
  const log = createLogger({ verbose: settings.verbose, stream: io.stderr, env: io.env, secrets: secretsOf(settings.auth), format: settings.logFormat });
  const userAgent = userAgentFor('doctor');
  const primary = primaryClientFor(settings, userAgent);
  try {
    const clients = new DoctorClients(settings, octokitOptionsFor(settings, userAgent, log));
    // PRIMARY and GitHub are independent: ask both at once, report in the documented order.
    const [primaryResult, githubResult] = await Promise.all([primaryChecks(settings, primary), githubChecks(clients)]);
    return [settingsCheck(settings, credentialProblem), ...primaryResult, ...githubResult, stateDirCheck(settings.stateDir), gitCheck(settings)];
  } finally {
    await primary.close();
  }
}

export async function doctorCommand(flags: CliFlags, io: CommandIo): Promise<number> {
  const resolved = resolveForDoctor(flags, io);
  const stdout = io.stdout as NodeJS.WritableStream & { isTTY?: boolean };
  const color = new Chalk({ level: flags.json !== true && useColor(stdout, io.env) ? 1 : 0 });
  let checks: Check[];
  let view: [string, string][] = [];
  let secrets: string[] = [];
  if ('problems' in resolved) {
    checks = [
      ...resolved.problems.map((problem) => fail('settings', problem, SETTINGS_FIX)),
      skip('PRIMARY, GitHub and local checks', 'not run: the settings must be valid first'),
    ];
  } else {
    view = settingsView(resolved.settings);
    secrets = secretsOf(resolved.settings.auth);
    checks = await runChecks(resolved.settings, resolved.credentialProblem, io);
  }
  const verdict = doctorVerdict(checks);
  const output =
    flags.json === true
      ? JSON.stringify({ ok: verdict.ok, settings: Object.fromEntries(view), checks }, null, 2) + '\n'
      : renderDoctor(view, checks, color);
  // Nothing above prints a secret; this is the last line of defence, as for every other output.
  stdout.write(redactSecrets(output, secrets));
  if ('problems' in resolved) return ExitCode.Usage;
  return verdict.ok ? ExitCode.Ok : ExitCode.Failed;
}
