/** `doctor`'s credential check: whose token it is (`GET /user`, with a classic token's scopes), or which App (`GET /app`). */
import { ENV } from '../../config/names.js';
import { fail, pass, type Check } from './check.js';
import { NETWORK_FIX, TOKEN_FIX, statusOf, type DoctorClients } from './clients.js';

export interface Identity {
  readonly check: Check;
  /** The credential was refused outright: checking repositories with it would only repeat that. */
  readonly rejected: boolean;
  /** Classic token scopes (`x-oauth-scopes`); undefined when GitHub does not report them. */
  readonly scopes: readonly string[] | undefined;
  /** The App's page, for the "install it" fix. */
  readonly appUrl: string | undefined;
}

const NAME = 'GitHub credential';

const identity = (check: Check, rejected: boolean, scopes?: readonly string[], appUrl?: string): Identity => ({ check, rejected, scopes, appUrl });

export async function probeIdentity(clients: DoctorClients): Promise<Identity> {
  const { settings } = clients;
  const auth = settings.auth;
  if (auth.kind === 'none') {
    return identity(
      settings.dryRun
        ? pass(NAME, 'none: enough for a dry run of public repositories')
        : fail(NAME, 'no credential is set: a run cannot push or open pull requests', `${TOKEN_FIX}; or, for unattended runs, set ${ENV.appId} and ${ENV.appKeyPath} for a GitHub App`),
      false,
    );
  }
  if (auth.kind === 'token') {
    try {
      const response = await clients.plain().request('GET /user');
      const header = response.headers['x-oauth-scopes'];
      const scopes = typeof header === 'string' ? header.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;
      const scopeText = scopes === undefined ? 'fine-grained (permissions not reported)' : `scopes: ${scopes.join(', ') || '(none)'}`;
      return identity(pass(NAME, `${response.data.login} (${response.data.type}), token from ${auth.source}; ${scopeText}`), false, scopes);
    } catch (error) {
      if (statusOf(error) === 401) {
        return identity(fail(NAME, `GitHub rejected the token from ${auth.source} (401 Bad credentials): it is wrong, expired or revoked`, TOKEN_FIX), true);
      }
      // GitHub Actions' GITHUB_TOKEN and other installation tokens have no user behind them.
      if (statusOf(error) === 403) return identity(pass(NAME, `an installation token from ${auth.source} (no user identity)`), false);
      return identity(fail(NAME, clients.describe(error, 'asking GitHub who the token belongs to'), NETWORK_FIX), true);
    }
  }
  try {
    const { data } = await clients.appClient().request('GET /app');
    return identity(pass(NAME, `GitHub App ${data?.slug ?? auth.appId} (id ${auth.appId})`), false, undefined, data?.html_url);
  } catch (error) {
    const status = statusOf(error);
    if (status === 401 || status === 404) {
      return identity(
        fail(
          NAME,
          `GitHub refused the App's signed token (${status}): ${ENV.appId}=${auth.appId} does not match the private key, or the key was deleted`,
          "check the App ID on the App's settings page and generate a new private key there; also make sure this machine's clock is right",
        ),
        true,
      );
    }
    return identity(fail(NAME, clients.describe(error, 'authenticating as the GitHub App'), NETWORK_FIX), true);
  }
}
