import type { ApiContext } from './http.js';

export type Handler = (ctx: ApiContext) => Promise<void> | void;

export interface Route {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
}

/**
 * `:name` matches one segment; a trailing `/*name` matches the rest of the path (possibly empty),
 * because Octokit sends `/contents` for the root and `dir%2Ffile` (or `dir/file`) for nested paths.
 */
export function route(method: string, template: string, handler: Handler): Route {
  const names: string[] = [];
  let source = '';
  for (const seg of template.split('/').slice(1)) {
    if (seg.startsWith(':')) {
      names.push(seg.slice(1));
      source += '/([^/]+)';
    } else if (seg.startsWith('*')) {
      names.push(seg.slice(1));
      source += '(?:/(.*))?';
    } else {
      source += `/${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    }
  }
  return { method, template, regex: new RegExp(`^${source}/?$`), names, handler };
}

export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | null {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      r.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? '');
      });
    } catch {
      continue;
    }
    return { route: r, params };
  }
  return null;
}
