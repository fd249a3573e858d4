/**
 * The words of a sync: commit message, pull request title and body, and the comments the tool
 * leaves. Pure functions of the report, so the same drift always gives the same text (which is
 * what lets a re-run with unchanged drift leave the pull request alone).
 */
import type { CategoryReport } from '../report/types.js';

/** Trailer that marks the tool's own commits; a sync branch tip without it belongs to a person. */
export const COMMIT_TRAILER = 'Synced-by: horde-model-sync';
export const BODY_MARKER = '<!-- horde-model-sync -->';
export const CONFLICT_MARKER = '<!-- horde-model-sync:conflict -->';
/** In the comment of a pull request the tool closed itself (no drift left). */
export const CLOSED_MARKER = '<!-- horde-model-sync:closed -->';
/** GitHub refuses pull request bodies longer than this many characters. */
export const MAX_BODY_CHARS = 65_536;

export interface Counts {
  readonly added: number;
  readonly removed: number;
  readonly modified: number;
}

export function countsOf(categories: readonly CategoryReport[]): Counts {
  return categories.reduce(
    (sum, c) => ({ added: sum.added + c.added.length, removed: sum.removed + c.removed.length, modified: sum.modified + c.modified.length }),
    { added: 0, removed: 0, modified: 0 },
  );
}

function changedCategories(categories: readonly CategoryReport[]): CategoryReport[] {
  return categories.filter((c) => c.added.length + c.removed.length + c.modified.length > 0);
}

export function formatCounts(counts: Counts): string {
  return `+${counts.added} −${counts.removed} ~${counts.modified}`;
}

export function syncTitle(categories: readonly CategoryReport[]): string {
  const changed = changedCategories(categories);
  return `Sync ${changed.map((c) => c.category).join(', ')} from PRIMARY (${formatCounts(countsOf(changed))})`;
}

export function commitMessage(categories: readonly CategoryReport[]): string {
  const lines = [syncTitle(categories), ''];
  for (const c of changedCategories(categories)) {
    lines.push(`${c.category} (${c.files.join(', ')}):`);
    const list = (label: string, names: readonly string[]): void => {
      if (names.length === 0) return;
      const shown = names.slice(0, 50);
      lines.push(`  ${label}: ${shown.join(', ')}${names.length > shown.length ? `, … ${names.length - shown.length} more` : ''}`);
    };
    list('added', c.added);
    list('removed', c.removed);
    list('modified', c.modified);
  }
  lines.push('', COMMIT_TRAILER, '');
  return lines.join('\n');
}

export interface BodyContext {
  /** The command that shows the same preview, e.g. `npx horde-model-sync --dry-run --categories clip`. */
  readonly dryRunCommand: string;
  readonly baseBranch: string;
}

const code = (name: string): string => '`' + name.replace(/`/g, 'ˋ') + '`';

function categorySection(c: CategoryReport): string[] {
  const lines = [`### ${c.category} — ${formatCounts({ added: c.added.length, removed: c.removed.length, modified: c.modified.length })}`, ''];
  lines.push(`Files: ${c.files.map(code).join(', ')}`, '');
  if (c.added.length > 0) lines.push(`**Added (${c.added.length}):** ${c.added.map(code).join(', ')}`, '');
  if (c.removed.length > 0) lines.push(`**Removed (${c.removed.length}):** ${c.removed.map(code).join(', ')}`, '');
  if (c.modified.length > 0) {
    const rows = c.modified.map((name) => `- ${code(name)}: ${(c.modifiedFields[name] ?? []).map(code).join(', ')}`);
    if (rows.length > 10) {
      lines.push(`<details><summary><b>Modified (${c.modified.length})</b> — changed fields</summary>`, '', ...rows, '', '</details>', '');
    } else {
      lines.push(`**Modified (${c.modified.length})** — changed fields:`, '', ...rows, '');
    }
  }
  return lines;
}

export function pullRequestBody(categories: readonly CategoryReport[], context: BodyContext): string {
  const changed = changedCategories(categories);
  const counts = countsOf(changed);
  const head = [
    BODY_MARKER,
    `PRIMARY (the model-reference API) and \`${context.baseBranch}\` disagree on ${counts.added + counts.removed + counts.modified} entries. This pull request brings the files in line with PRIMARY; only the lines of those entries change.`,
    '',
    '| category | added | removed | modified |',
    '|---|---:|---:|---:|',
    ...changed.map((c) => `| ${c.category} | ${c.added.length} | ${c.removed.length} | ${c.modified.length} |`),
    '',
  ];
  const tail = [
    '---',
    `Preview the same drift locally: \`${context.dryRunCommand}\``,
    '',
    'This pull request is kept up to date by horde-model-sync: a later run with new drift updates it, and it is closed when the drift is gone. Pushing your own commit to this branch stops the tool from touching it.',
  ];
  const sections = changed.flatMap(categorySection);
  let body = [...head, ...sections, ...tail].join('\n');
  if (body.length <= MAX_BODY_CHARS) return body;
  // Too long for GitHub: keep the summary and cut the lists, saying so.
  const note = `\n\n_The lists were cut to fit GitHub's size limit; run the command below for all of them._\n\n`;
  const room = MAX_BODY_CHARS - head.join('\n').length - tail.join('\n').length - note.length - 10;
  const listText = sections.join('\n');
  const cut = listText.slice(0, Math.max(0, room));
  body = head.join('\n') + cut.slice(0, cut.lastIndexOf('\n') + 1) + note + tail.join('\n');
  return body;
}

export function conflictComment(branch: string): string {
  return [
    CONFLICT_MARKER,
    `Someone else pushed to \`${branch}\`, so horde-model-sync no longer updates or closes this pull request: your commits are never overwritten.`,
    '',
    'Merge or close it when you are done; the next run after that starts a fresh sync pull request.',
  ].join('\n');
}

export function closeComment(baseBranch: string): string {
  return `${CLOSED_MARKER}\nPRIMARY and \`${baseBranch}\` agree again, so there is nothing left to sync. Closing this pull request and deleting its branch (horde-model-sync).`;
}
