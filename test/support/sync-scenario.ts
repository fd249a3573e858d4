/**
 * A whole sync scenario on loopback: a fake GitHub holding the image and text repositories and a
 * fake PRIMARY serving newer data, seeded from fixtures/sync/ (or from given files). Used by the
 * end-to-end tests, `npm run demo` and the benchmark, so all three exercise the same set-up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeGitHub, type FakeGitHub } from './fake-github/index.js';
import { startFakePrimary, type FakePrimary } from './fake-primary.js';

/** The project root, found from this file both as TypeScript source and as compiled JavaScript. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'fixtures'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root from ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

function readFolder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) files[name] = readFileSync(join(dir, name), 'utf8');
  return files;
}

export interface ScenarioData {
  /** Files of the image repository's base branch. */
  readonly imageRepo: Record<string, string>;
  readonly textRepo: Record<string, string>;
  /** PRIMARY bodies by category name. */
  readonly primary: Record<string, string>;
}

/** The fixtures/sync scenario: repositories at an older real snapshot, PRIMARY at a newer one. */
export function fixtureScenarioData(): ScenarioData {
  const root = join(projectRoot(), 'fixtures', 'sync');
  const primary: Record<string, string> = {};
  for (const [file, body] of Object.entries(readFolder(join(root, 'image', 'primary')))) {
    const name = file.replace(/\.json$/, '');
    primary[name === 'stable_diffusion' ? 'image_generation' : name] = body;
  }
  primary['text_generation'] = readFileSync(join(root, 'text', 'primary', 'text_generation.json'), 'utf8');
  return { imageRepo: readFolder(join(root, 'image', 'repo')), textRepo: readFolder(join(root, 'text', 'repo')), primary };
}

/** PRIMARY serving exactly what the repositories hold (no drift), in PRIMARY's own bytes. */
export function inSyncPrimary(data: ScenarioData): Record<string, string> {
  const primary: Record<string, string> = {};
  for (const [file, text] of Object.entries(data.imageRepo)) {
    const name = file.replace(/\.json$/, '');
    primary[name === 'stable_diffusion' ? 'image_generation' : name] = JSON.stringify(JSON.parse(text), null, 2);
  }
  if (data.textRepo['db.json'] !== undefined) primary['text_generation'] = JSON.stringify(JSON.parse(data.textRepo['db.json']), null, 2);
  return primary;
}

export interface SyncScenario {
  readonly data: ScenarioData;
  readonly gh: FakeGitHub;
  readonly primary: FakePrimary;
  readonly token: string;
  readonly owner: string;
  readonly imageRepo: string;
  readonly textRepo: string;
  /** Flags pointing the CLI at the fakes. */
  readonly args: string[];
  /** Environment for the CLI: the token, a private state dir and temp dir, no API pacing. */
  readonly env: Record<string, string>;
  /** The TMPDIR given to the CLI, to check that no temp clone is left behind. */
  readonly tmpDir: string;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  readonly data?: ScenarioData;
  /** Organisation owning both repositories; unique per test keeps tests independent. */
  readonly owner?: string;
  readonly token?: string;
}

let counter = 0;

export async function startSyncScenario(options: ScenarioOptions = {}): Promise<SyncScenario> {
  const data = options.data ?? fixtureScenarioData();
  const owner = options.owner ?? `org${process.pid}x${counter++}`;
  // Shaped like a real token so that leak checks look for something realistic.
  const token = options.token ?? `ghp_${'T'.repeat(8)}${Math.random().toString(36).slice(2, 14).padEnd(12, 'x')}${'k'.repeat(16)}`;
  const gh = await startFakeGitHub();
  const primary = await startFakePrimary({ categories: data.primary });
  gh.addToken(token, { login: 'sync-bot' });
  const imageRepo = 'AI-Horde-image-model-reference';
  const textRepo = 'AI-Horde-text-model-reference';
  await gh.createRepo(owner, imageRepo, data.imageRepo);
  await gh.createRepo(owner, textRepo, data.textRepo);
  const stateDir = await mkdtemp(join(tmpdir(), 'hms-state-'));
  const tmpDir = await mkdtemp(join(tmpdir(), 'hms-tmp-'));
  return {
    data,
    gh,
    primary,
    token,
    owner,
    imageRepo,
    textRepo,
    args: ['--primary-url', primary.url, '--github-api-url', gh.apiUrl, '--image-repo', `${owner}/${imageRepo}`, '--text-repo', `${owner}/${textRepo}`],
    env: {
      HORDE_GITHUB_SYNC_GITHUB_TOKEN: token,
      HORDE_GITHUB_SYNC_API_PACING: 'false',
      HORDE_GITHUB_SYNC_RETRY_DELAY_MS: '10',
      HORDE_GITHUB_SYNC_STATE_DIR: stateDir,
      TMPDIR: tmpDir,
    },
    tmpDir,
    async close() {
      await Promise.all([gh.close(), primary.close()]);
      await rm(stateDir, { recursive: true, force: true });
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}
