/**
 * The command line, as commander sees it. `sync` is the default command: its options sit on the
 * root command too, so `horde-model-sync --dry-run` and `horde-model-sync sync --dry-run` are the
 * same and `--help` shows them. Options carry no parser defaults: an option that was not given is
 * undefined, so the environment and the env file can supply it (flags > env > env file).
 * Commands are imported lazily by the caller, so `--help` starts fast.
 */
import { Command, Option } from 'commander';
import { CATEGORY_NAMES } from '../categories.js';
import { DEFAULTS, ENV } from '../config/names.js';
import type { CliFlags } from '../config/settings.js';
import { VERSION } from '../version.js';

export type CommandName = 'sync' | 'doctor' | 'watch' | 'history';
/** Flags of every command; `limit` is `history -n`. */
export type CommandFlags = CliFlags & { limit?: string };
export type CommandRunner = (name: CommandName, flags: CommandFlags) => Promise<number>;

const EXAMPLES = `
Examples:
  $ horde-model-sync --dry-run
      Preview the drift between PRIMARY and both repositories; needs no credentials.
  $ horde-model-sync --dry-run --verbose --categories image_generation
      Also list the changed fields and the unified diff the pull request would carry.
  $ HORDE_GITHUB_SYNC_GITHUB_TOKEN=… horde-model-sync
      Sync: open or update one labeled pull request per repository that drifted.
  $ horde-model-sync --json --categories clip,text_generation > report.json
      Machine-readable report on stdout (human output stays on stderr).
  $ horde-model-sync doctor
      Check settings, PRIMARY, both repositories and the credential's rights; writes nothing.
  $ horde-model-sync watch --interval 15m --log-format json
      Sync now, then again whenever PRIMARY changes (for a systemd service).
  $ horde-model-sync history -n 10
      The last runs: when, what drifted, which pull request, how long.

Settings come from flags, then the environment, then .env.sync in the current directory (or
--env-file); see .env.sync.example. Authentication: GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY_PATH
(or GITHUB_APP_PRIVATE_KEY), else HORDE_GITHUB_SYNC_GITHUB_TOKEN, else GITHUB_TOKEN.

Exit codes: 0 done (drift or not), 1 a category or repository failed, 2 bad usage or
configuration, 75 another run holds the lock (try again later).`;

export function addSyncOptions(command: Command): Command {
  return command
    .addOption(new Option('--primary-url <url>', `PRIMARY model-reference API base (env ${ENV.primaryUrl}; default ${DEFAULTS.primaryUrl})`))
    .addOption(new Option('--github-api-url <url>', `GitHub REST API base; GitHub Enterprise works (env ${ENV.githubApiUrl}; default ${DEFAULTS.githubApiUrl})`))
    .addOption(new Option('--image-repo <owner/name>', `image reference repository (env ${ENV.imageRepo}; default ${DEFAULTS.imageRepo})`))
    .addOption(new Option('--text-repo <owner/name>', `text reference repository (env ${ENV.textRepo}; default ${DEFAULTS.textRepo})`))
    .addOption(new Option('--base-branch <name>', `branch the pull requests target (env ${ENV.baseBranch}; default ${DEFAULTS.baseBranch})`))
    .addOption(new Option('--categories <a,b>', `categories to sync, or all (env ${ENV.categories}): ${CATEGORY_NAMES.join(', ')}`))
    .addOption(new Option('--labels <a,b>', `pull request labels, created when missing (env ${ENV.labels}; default ${DEFAULTS.labels})`))
    .addOption(new Option('--reviewers <a,b>', `users asked to review (env ${ENV.reviewers})`))
    .addOption(new Option('--team-reviewers <org/team,…>', `teams asked to review (env ${ENV.teamReviewers})`))
    .addOption(new Option('--min-changes <n>', `open a pull request only from this many changed entries (env ${ENV.minChanges}; default ${DEFAULTS.minChanges})`))
    .addOption(new Option('--dry-run', `only show what would change: no clone, push or pull request (env ${ENV.dryRun}=true)`))
    .addOption(new Option('--force', 'sync below --min-changes, allow removing more than half of a file, and propose again drift a maintainer closed unmerged'))
    .addOption(new Option('--json', 'print the run report as one JSON document on stdout'))
    .addOption(new Option('--verbose', `list every name and changed field; with --dry-run, the diff (env ${ENV.verbose}=true)`))
    .addOption(new Option('--env-file <path>', 'read settings from this file instead of ./.env.sync'))
    .addOption(new Option('--state-dir <dir>', `where locks and the run history are kept (env ${ENV.stateDir}; default $XDG_STATE_HOME/horde-model-sync)`))
    .addOption(new Option('--log-format <format>', `human, or json: one JSON object per line on stderr (env ${ENV.logFormat}; default ${DEFAULTS.logFormat})`));
}

export function buildProgram(run: CommandRunner, setExitCode: (code: number) => void): Command {
  const runAs =
    (name: CommandName) =>
    async (flags: CommandFlags): Promise<void> => {
      setExitCode(await run(name, flags));
    };
  const program = addSyncOptions(new Command('horde-model-sync'))
    .usage('[command] [options]')
    .description('Keep the AI Horde model-reference repositories in line with the PRIMARY API, one reviewable pull request at a time.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run horde-model-sync --help for the options)')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    // Options after a command name belong to that command; options before it to the root. Both mean the same.
    .enablePositionalOptions()
    .action(runAs('sync'));
  const withRootOptions =
    (name: CommandName) =>
    async (flags: CommandFlags): Promise<void> =>
      runAs(name)({ ...program.opts<CommandFlags>(), ...flags });

  program.addCommand(
    addSyncOptions(new Command('sync'))
      .description('compare PRIMARY with the repositories and open, update or close the sync pull requests (the default)')
      .showHelpAfterError('(run horde-model-sync sync --help for the options)')
      .exitOverride()
      .action(withRootOptions('sync')),
  );
  program.addCommand(
    addSyncOptions(new Command('doctor'))
      .description('check that a real run would work — settings, PRIMARY, repositories, branch, credential rights, labels — and say what to fix; writes nothing')
      .addHelpText('after', '\nExit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 the settings are invalid.\nWith --json, stdout carries {ok, settings, checks: [{name, status, detail, fix}]}.')
      .showHelpAfterError('(run horde-model-sync doctor --help for the options)')
      .exitOverride()
      .action(withRootOptions('doctor')),
  );
  program.addCommand(
    addSyncOptions(new Command('watch'))
      .description('sync now, then poll PRIMARY every interval and sync again only when a category changed; SIGTERM/SIGINT stop it with exit code 0')
      .addOption(new Option('--interval <duration>', `how often to poll PRIMARY: 90s, 15m, 1h or seconds (env ${ENV.watchInterval}; default ${DEFAULTS.watchInterval})`))
      .showHelpAfterError('(run horde-model-sync watch --help for the options)')
      .exitOverride()
      .action(withRootOptions('watch')),
  );
  program.addCommand(
    new Command('history')
      .description('show the last runs: when, what drifted, which pull request, how long')
      .addOption(new Option('-n, --limit <n>', 'how many runs to show (default 20)'))
      .addOption(new Option('--json', 'print the runs as a JSON array (the history file\'s records) on stdout'))
      .addOption(new Option('--state-dir <dir>', `where the history is kept (env ${ENV.stateDir}; default $XDG_STATE_HOME/horde-model-sync)`))
      .addOption(new Option('--env-file <path>', 'read settings from this file instead of ./.env.sync'))
      .showHelpAfterError('(run horde-model-sync history --help for the options)')
      .exitOverride()
      .action(async (flags: CommandFlags) => runAs('history')({ stateDir: program.opts<CommandFlags>().stateDir, envFile: program.opts<CommandFlags>().envFile, ...flags })),
  );
  return program;
}
