/**
 * Is PRIMARY reachable, and does it serve every selected category with a body a run can use?
 * Reads each category once, exactly as a run would (same client, timeouts and retries).
 */
import type { Settings } from '../../config/settings.js';
import { ENV } from '../../config/names.js';
import { indexEntries } from '../../diff/compare-entries.js';
import type { PrimaryResponse, PrimarySource } from '../../primary/client.js';
import { mapConcurrent } from '../../util/retry.js';
import { fail, pass, warn, type Check } from './check.js';

const URL_FIX = `check --primary-url (${ENV.primaryUrl}): it is the API base that ends in /api, e.g. https://models.aihorde.net/api, and the service must be up`;

function categoryCheck(category: string, response: PrimaryResponse): Check {
  const name = `PRIMARY serves ${category}`;
  switch (response.kind) {
    case 'ok':
      try {
        const entries = indexEntries(response.body, `PRIMARY's ${category}`).members.length;
        if (entries === 0) return fail(name, `an empty object at ${response.url}`, 'a run refuses empty bodies; check PRIMARY');
        return pass(name, `${entries} ${entries === 1 ? "entry" : "entries"}`);
      } catch (error) {
        return fail(name, (error as Error).message, `${URL_FIX}; a run would report ${category} as an error`);
      }
    case 'missing':
      return warn(name, `404 at ${response.url}: a run skips ${category}`, `remove ${category} from --categories (${ENV.categories}) if PRIMARY is not meant to serve it`);
    case 'not-modified':
      return fail(name, `304 without a conditional request at ${response.url}`, 'PRIMARY or a proxy in front of it answers wrongly; check --primary-url');
    case 'error':
      return fail(name, response.message, URL_FIX);
  }
}

export async function primaryChecks(settings: Settings, primary: PrimarySource): Promise<Check[]> {
  const categories = settings.categories.map((c) => c.name);
  const responses = await mapConcurrent(categories, 4, (c) => primary.fetchCategory(c));
  const answered = responses.some((r) => r.kind !== 'error' || !/did not answer/.test(r.message));
  if (!answered) {
    const first = responses[0];
    return [fail('PRIMARY reachable', first?.kind === 'error' ? first.message : `no answer from ${settings.primaryUrl}`, URL_FIX)];
  }
  // Every category 404: the URL points at something that is not the v1 model-reference API.
  if (responses.every((r) => r.kind === 'missing')) {
    return [fail('PRIMARY reachable', `${settings.primaryUrl} answers, but 404 for every category`, URL_FIX)];
  }
  return [pass('PRIMARY reachable', settings.primaryUrl), ...categories.map((c, i) => categoryCheck(c, responses[i] as PrimaryResponse))];
}
