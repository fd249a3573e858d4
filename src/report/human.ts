/** The readable summary on stderr: per repository and category, counts and names. */
import type { Logger } from '../util/logger.js';
import type { CategoryReport, RunReport } from './types.js';

const NAMES_SHOWN = 15;

function names(list: readonly string[], verbose: boolean): string {
  const shown = verbose ? list : list.slice(0, NAMES_SHOWN);
  const more = list.length - shown.length;
  return shown.join(', ') + (more > 0 ? `, … ${more} more (--verbose lists all)` : '');
}

function categoryLines(c: CategoryReport, log: Logger, verbose: boolean): void {
  const { color } = log;
  const label = `${c.category} (${c.files.join(', ')})`;
  switch (c.status) {
    case 'in-sync':
      log.info(`  ${color.green('✓')} ${label}: in sync`);
      return;
    case 'skipped':
      log.info(`  ${color.yellow('–')} ${label}: skipped — ${c.error ?? ''}`);
      return;
    case 'error':
      log.info(`  ${color.red('✗')} ${label}: ${color.red(c.error ?? 'error')}`);
      break;
    case 'changed':
      log.info(`  ${color.cyan('●')} ${label}: +${c.added.length} −${c.removed.length} ~${c.modified.length}`);
      break;
  }
  if (c.added.length > 0) log.info(`      added: ${names(c.added, verbose)}`);
  if (c.removed.length > 0) log.info(`      removed: ${names(c.removed, verbose)}`);
  if (c.modified.length > 0) {
    if (verbose) {
      log.info('      modified:');
      for (const name of c.modified) log.info(`        ${name}: ${(c.modifiedFields[name] ?? []).join(', ')}`);
    } else {
      log.info(`      modified: ${names(c.modified, verbose)}`);
    }
  }
}

export function printHumanReport(report: RunReport, log: Logger, verbose: boolean): void {
  const { color } = log;
  let added = 0;
  let removed = 0;
  let modified = 0;
  let failures = 0;
  for (const repo of report.repos) {
    log.info(color.bold(repo.repo));
    for (const c of repo.categories) {
      categoryLines(c, log, verbose);
      added += c.added.length;
      removed += c.removed.length;
      modified += c.modified.length;
      if (c.status === 'error') failures++;
    }
    for (const note of repo.notes) log.info(`  ${color.yellow('note:')} ${note}`);
    const pr = repo.pullRequest;
    if (pr !== null) {
      log.info(pr.number !== null ? `  pull request #${pr.number} ${pr.action}: ${pr.url}` : `  pull request: ${pr.action}`);
    }
    for (const diff of repo.diffs) log.info(diff);
  }
  const total = added + removed + modified;
  const tail = report.dryRun ? ' (dry run: nothing was cloned, pushed or opened)' : '';
  const failed = failures > 0 ? color.red(`, ${failures} failed`) : '';
  log.info(`${total === 0 ? 'No drift' : `Drift: +${added} −${removed} ~${modified}`}${failed}${tail}`);
}
