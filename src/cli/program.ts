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

export type CommandRunner = (name: 'sync', flags: CliFlags) => Promise<number>;

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
    .addOption(new Option('--force', 'sync below --min-changes, and allow removing more than half of a file'))
    .addOption(new Option('--json', 'print the run report as one JSON document on stdout'))
    .addOption(new Option('--verbose', `list every name and changed field; with --dry-run, the diff (env ${ENV.verbose}=true)`))
    .addOption(new Option('--env-file <path>', 'read settings from this file instead of ./.env.sync'))
    .addOption(new Option('--state-dir <dir>', `where locks are kept (env ${ENV.stateDir}; default $XDG_STATE_HOME/horde-model-sync)`));
}

export function buildProgram(run: CommandRunner, setExitCode: (code: number) => void): Command {
  const runSync = async (flags: CliFlags): Promise<void> => {
    setExitCode(await run('sync', flags));
  };
  const program = addSyncOptions(new Command('horde-model-sync'))
    .usage('[sync] [options]')
    .description('Keep the AI Horde model-reference repositories in line with the PRIMARY API, one reviewable pull request at a time.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run horde-model-sync --help for the options)')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    // Options after `sync` belong to `sync`; options before it to the root. Both mean the same.
    .enablePositionalOptions()
    .action(runSync);

  const sync = addSyncOptions(new Command('sync'))
    .description('compare PRIMARY with the repositories and open, update or close the sync pull requests (the default)')
    .showHelpAfterError('(run horde-model-sync sync --help for the options)')
    .exitOverride()
    .action(async (flags: CliFlags) => runSync({ ...program.opts<CliFlags>(), ...flags }));
  program.addCommand(sync);
  return program;
}
