/** The PRIMARY and GitHub client settings every command builds the same way from its settings. */
import type { Settings } from '../config/settings.js';
import type { OctokitOptions } from '../github/octokit.js';
import { PrimaryClient } from '../primary/client.js';
import type { Logger } from '../util/logger.js';
import { VERSION } from '../version.js';

export function userAgentFor(command?: string): string {
  return `horde-model-sync/${VERSION}${command !== undefined ? ` (${command})` : ''}`;
}

export function primaryClientFor(settings: Settings, userAgent: string): PrimaryClient {
  return new PrimaryClient({ baseUrl: settings.primaryUrl, timeoutMs: settings.httpTimeoutMs, retryDelayMs: settings.retryDelayMs, userAgent });
}

export function octokitOptionsFor(settings: Settings, userAgent: string, log: Logger): OctokitOptions {
  return {
    baseUrl: settings.githubApiUrl,
    userAgent,
    retryDelayMs: settings.retryDelayMs,
    pacing: settings.apiPacing,
    timeoutMs: settings.httpTimeoutMs,
    warn: (m) => log.warn(m),
  };
}
