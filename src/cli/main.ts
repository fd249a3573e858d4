/**
 * The entry point: parses argv, runs the command, and is the only place that decides the exit
 * code. Also runs pending cleanups (temp clones, locks) when the process is interrupted: a `sync`
 * interrupted by a signal exits 130/143; `watch` treats SIGTERM/SIGINT as its normal way to stop
 * and exits 0 (systemd stops services that way).
 */
import { CommanderError } from 'commander';
import { ExitCode, LockHeldError, UsageError, errorMessage } from '../errors.js';
import { interruption, runAllCleanups, settleOperations } from '../util/cleanup.js';
import { activeLogFormat, jsonLine, type LogFields, type LogFormat } from '../util/logger.js';
import { buildProgram, type CommandName } from './program.js';

/**
 * The format for lines written before (or without) a command's logger: the logger's when one was
 * made, else what argv or the environment ask for (an env file is not read this early).
 */
function lastWordsFormat(argv: readonly string[]): LogFormat {
  const active = activeLogFormat();
  if (active !== undefined) return active;
  const index = argv.lastIndexOf('--log-format');
  const fromArgv = index >= 0 ? argv[index + 1] : argv.findLast((a) => a.startsWith('--log-format='))?.slice('--log-format='.length);
  const chosen = fromArgv ?? process.env['HORDE_GITHUB_SYNC_LOG_FORMAT'];
  return chosen?.trim().toLowerCase() === 'json' ? 'json' : 'human';
}

function say(argv: readonly string[], level: 'info' | 'error', message: string, fields?: LogFields): void {
  process.stderr.write(
    lastWordsFormat(argv) === 'json' ? jsonLine(level, message, fields, new Date()) + '\n' : `horde-model-sync: ${message}\n`,
  );
}

function installSignalHandlers(argv: readonly string[], command: () => CommandName | undefined): void {
  let interrupted = false;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    // `on`, not `once`: while this handler waits for git to exit, proper-lockfile's signal-exit
    // would otherwise see no other listener and re-raise the signal, killing the process first.
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      // Kill running git processes, wait (bounded) until they are gone, then remove their
      // folders and release the locks.
      interruption.abort(signal);
      void settleOperations(3000).then(() => {
        runAllCleanups();
        if (command() === 'watch') {
          say(argv, 'info', `watch stopped by ${signal}; a run in progress, if any, was aborted and its temporary files and locks removed`, { signal });
          process.exit(ExitCode.Ok);
        }
        if (lastWordsFormat(argv) === 'json') say(argv, 'error', `interrupted by ${signal}; temporary files removed, nothing was left half-pushed`, { signal });
        else process.stderr.write(`\nhorde-model-sync: interrupted by ${signal}; temporary files removed, nothing was left half-pushed\n`);
        process.exit(code);
      });
    });
  }
}

/** `horde-model-sync --help | head` closes the pipe early; that is not an error worth a stack trace. */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

async function runCommand(name: CommandName, flags: Parameters<Parameters<typeof buildProgram>[0]>[1]): Promise<number> {
  const io = { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
  switch (name) {
    case 'sync': {
      const { syncCommand } = await import('../commands/sync.js');
      return syncCommand(flags, io);
    }
    case 'doctor': {
      const { doctorCommand } = await import('../commands/doctor.js');
      return doctorCommand(flags, io);
    }
    case 'watch': {
      const { watchCommand } = await import('../commands/watch.js');
      return watchCommand(flags, io);
    }
    case 'history': {
      const { historyCommand } = await import('../commands/history.js');
      return historyCommand(flags, io);
    }
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let running: CommandName | undefined;
  installSignalHandlers(argv, () => running);
  ignoreClosedPipes();
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram(
    async (name, flags) => {
      running = name;
      return runCommand(name, flags);
    },
    (code) => {
      exitCode = code;
    },
  );
  if (lastWordsFormat(argv) === 'json') {
    // Commander's own complaints (unknown option, missing value) stay parseable too.
    const toJson = (text: string, write: (s: string) => void): void => {
      const message = text.trim().replace(/^error: /, '');
      if (message !== '') write(jsonLine('error', message, undefined, new Date()) + '\n');
    };
    program.configureOutput({ outputError: toJson });
    for (const command of program.commands) command.configureOutput({ outputError: toJson });
    program.showHelpAfterError(false);
    for (const command of program.commands) command.showHelpAfterError(false);
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; any other parse error is bad usage.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof UsageError) {
      if (lastWordsFormat(argv) === 'json') say(argv, 'error', `bad configuration: ${error.problems.join('; ')}`, { problems: error.problems });
      else process.stderr.write(`horde-model-sync: bad configuration:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return ExitCode.Usage;
    }
    if (error instanceof LockHeldError) {
      say(argv, 'error', error.message);
      return ExitCode.Locked;
    }
    say(argv, 'error', errorMessage(error));
    return ExitCode.Failed;
  } finally {
    runAllCleanups();
  }
}
