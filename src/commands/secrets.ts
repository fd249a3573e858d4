/** The strings every logger, report and history line of a run must never contain. */
import type { AuthSettings } from '../config/settings.js';

export function secretsOf(auth: AuthSettings): string[] {
  if (auth.kind === 'token') return [auth.token];
  // A PEM can leak line by line (an error quoting part of it), so each long line counts too.
  if (auth.kind === 'app') return [auth.privateKey, ...auth.privateKey.split('\n').filter((l) => l.length > 20)];
  return [];
}
