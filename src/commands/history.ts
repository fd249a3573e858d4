/** `horde-model-sync history`: the last runs from the history file, as a table or as JSON. */
import { resolveStateDir } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { historyPath, readHistory } from '../history/store.js';
import { historyTable } from '../history/table.js';
import type { CommandIo } from './sync.js';

export interface HistoryFlags {
  limit?: string;
  json?: boolean;
  stateDir?: string;
  envFile?: string;
}

export const DEFAULT_HISTORY_LIMIT = 20;

export async function historyCommand(flags: HistoryFlags, io: CommandIo): Promise<number> {
  const limitText = flags.limit ?? String(DEFAULT_HISTORY_LIMIT);
  const problems: string[] = [];
  if (!/^\d+$/.test(limitText.trim()) || Number(limitText) < 1) problems.push(`-n: ${JSON.stringify(limitText)} is not a whole number ≥ 1; expected e.g. -n 50`);
  let stateDir = '';
  try {
    stateDir = resolveStateDir(flags, { env: io.env, cwd: io.cwd });
  } catch (error) {
    if (error instanceof UsageError) problems.push(...error.problems);
    else throw error;
  }
  if (problems.length > 0) throw new UsageError(problems);

  const records = readHistory(stateDir, Number(limitText));
  if (flags.json === true) {
    io.stdout.write(JSON.stringify(records, null, 2) + '\n');
    return 0;
  }
  if (records.length === 0) {
    io.stderr.write(`No runs recorded yet in ${historyPath(stateDir)}: every sync appends one line there (use --state-dir if runs keep their state elsewhere).\n`);
    return 0;
  }
  io.stdout.write(historyTable(records));
  return 0;
}
