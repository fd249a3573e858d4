/**
 * The entry point: parses argv, runs the command, and is the only place that decides the exit
 * code. Also runs pending cleanups (temp clones, locks) when the process is interrupted.
 */
import { CommanderError } from 'commander';
import { ExitCode, LockHeldError, UsageError, errorMessage } from '../errors.js';
import { runAllCleanups } from '../util/cleanup.js';
import { buildProgram } from './program.js';

function installSignalHandlers(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      runAllCleanups();
      process.stderr.write(`\nhorde-model-sync: interrupted by ${signal}; temporary files removed, nothing was left half-pushed\n`);
      process.exit(code);
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

export async function main(argv: readonly string[]): Promise<number> {
  installSignalHandlers();
  ignoreClosedPipes();
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram(
    async (name, flags) => {
      const io = { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
      const { syncCommand } = await import('../commands/sync.js');
      return syncCommand(flags, io);
    },
    (code) => {
      exitCode = code;
    },
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; any other parse error is bad usage.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`horde-model-sync: bad configuration:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return ExitCode.Usage;
    }
    if (error instanceof LockHeldError) {
      process.stderr.write(`horde-model-sync: ${error.message}\n`);
      return ExitCode.Locked;
    }
    process.stderr.write(`horde-model-sync: ${errorMessage(error)}\n`);
    return ExitCode.Failed;
  } finally {
    runAllCleanups();
  }
}
