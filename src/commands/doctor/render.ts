/** `doctor`'s output: the resolved settings, then one table row per check with the fix under a failure. */
import type { ChalkInstance } from 'chalk';
import type { Check, CheckStatus } from './check.js';

const MARK: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };

export function doctorVerdict(checks: readonly Check[]): { ok: boolean; text: string } {
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  if (failed > 0) return { ok: false, text: `${failed} check${failed === 1 ? '' : 's'} failed: a real run would not work. Fix the above and run doctor again.` };
  return { ok: true, text: `All checks passed${warned > 0 ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}: a real run would work.` };
}

export function renderDoctor(view: readonly [string, string][], checks: readonly Check[], color: ChalkInstance): string {
  const lines: string[] = [];
  if (view.length > 0) {
    lines.push(color.bold('Settings, as sync resolves them (secrets masked):'));
    const width = Math.max(...view.map(([k]) => k.length));
    for (const [key, value] of view) lines.push(`  ${key.padEnd(width)}  ${value}`);
    lines.push('');
  }
  const paint: Record<CheckStatus, (s: string) => string> = { pass: color.green, warn: color.yellow, fail: color.red, skip: color.dim };
  const nameWidth = Math.max(5, ...checks.map((c) => c.name.length));
  lines.push(color.bold(`   ${'CHECK'.padEnd(nameWidth)}  RESULT`));
  for (const check of checks) {
    lines.push(`${paint[check.status](MARK[check.status])}  ${check.name.padEnd(nameWidth)}  ${check.detail}`);
    if (check.fix !== undefined) lines.push(`   ${' '.repeat(nameWidth)}  ${paint[check.status]('fix:')} ${check.fix}`);
  }
  const verdict = doctorVerdict(checks);
  lines.push('', verdict.ok ? color.green(verdict.text) : color.red(verdict.text));
  return lines.join('\n') + '\n';
}
