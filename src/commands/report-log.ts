/**
 * The run report as structured log lines, for `--log-format json`: one line per category and per
 * pull request, with `repository` and `category` as fields rather than indentation, then one
 * summary line with the run's duration. The human format keeps `printHumanReport`.
 */
import type { RunReport } from '../report/types.js';
import type { Logger } from '../util/logger.js';

export function logReportLines(report: RunReport, log: Logger, durationMs: number): void {
  let added = 0;
  let removed = 0;
  let modified = 0;
  let failed = 0;
  for (const repo of report.repos) {
    const repository = repo.repo;
    for (const c of repo.categories) {
      added += c.added.length;
      removed += c.removed.length;
      modified += c.modified.length;
      const fields = {
        repository,
        category: c.category,
        status: c.status,
        files: c.files,
        added: c.added.length,
        removed: c.removed.length,
        modified: c.modified.length,
        ...(c.error !== null ? { error: c.error } : {}),
      };
      switch (c.status) {
        case 'changed':
          log.info(`${c.category}: +${c.added.length} −${c.removed.length} ~${c.modified.length}`, fields);
          log.detail(`${c.category}: changed entries`, { repository, category: c.category, addedNames: c.added, removedNames: c.removed, modifiedFields: c.modifiedFields });
          break;
        case 'in-sync':
          log.info(`${c.category}: in sync`, fields);
          break;
        case 'skipped':
          log.warn(`${c.category}: skipped — ${c.error ?? ''}`, fields);
          break;
        case 'error':
          failed++;
          log.error(`${c.category}: ${c.error ?? 'error'}`, fields);
          break;
      }
    }
    for (const note of repo.notes) log.info(note, { repository });
    const pr = repo.pullRequest;
    if (pr !== null) {
      log.info(pr.number !== null ? `pull request #${pr.number} ${pr.action}: ${pr.url}` : `pull request: ${pr.action}`, { repository, pullRequest: pr });
    }
    for (const diff of repo.diffs) log.detail(diff, { repository });
  }
  const total = added + removed + modified;
  const message = total === 0 ? 'No drift' : `Drift: +${added} −${removed} ~${modified}`;
  log.info(`${message}${failed > 0 ? `, ${failed} failed` : ''}${report.dryRun ? ' (dry run)' : ''}`, { durationMs, dryRun: report.dryRun, added, removed, modified, failed });
}
