/**
 * Standalone fake GitHub for a manual session, the demo or a test that needs it in another process:
 *
 *   node dist/test/support/fake-github/cli.js seed.json
 *
 * prints one JSON line {"url","apiUrl","pid"} on stdout and serves until SIGTERM/SIGINT.
 * Faults and state: POST /_admin/faults, GET /_admin/state, POST /_admin/clock.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { startFakeGitHub, type AppSpec, type FileContent, type Permission, type TokenSpec } from './index.js';

/** A file is a UTF-8 string, `{"base64": "…"}`, or `{"fromFile": "path"}` (relative to the seed file). */
type SeedFile = string | { base64: string } | { fromFile: string };

export interface Seed {
  port?: number;
  clockSkewSec?: number;
  repos?: Array<{
    owner: string;
    name: string;
    private?: boolean;
    defaultBranch?: string;
    files: Record<string, SeedFile>;
    protect?: string[];
    collaborators?: Record<string, Permission>;
  }>;
  tokens?: Array<TokenSpec & { token: string }>;
  /** `privateKeyPath` (relative to the seed file) may replace privateKeyPem. */
  apps?: Array<AppSpec & { privateKeyPath?: string; publicKeyPath?: string }>;
  teams?: Array<{ org: string; slug: string; name?: string }>;
  users?: string[];
}

async function loadFile(base: string, f: SeedFile): Promise<FileContent> {
  if (typeof f === 'string') return f;
  if ('base64' in f) return Buffer.from(f.base64, 'base64');
  return readFile(resolve(base, f.fromFile));
}

async function main(): Promise<void> {
  const seedPath = process.argv[2];
  if (!seedPath) {
    process.stderr.write('usage: node dist/test/support/fake-github/cli.js seed.json\n');
    process.exit(2);
  }
  const base = dirname(resolve(seedPath));
  const seed = JSON.parse(await readFile(seedPath, 'utf8')) as Seed;
  const gh = await startFakeGitHub({ port: seed.port, clockSkewSec: seed.clockSkewSec });

  for (const r of seed.repos ?? []) {
    const files: Record<string, FileContent> = {};
    for (const [p, f] of Object.entries(r.files)) files[p] = await loadFile(base, f);
    await gh.createRepo(r.owner, r.name, files, { private: r.private, defaultBranch: r.defaultBranch });
    for (const b of r.protect ?? []) await gh.protectBranch(r.owner, r.name, b);
    for (const [login, perm] of Object.entries(r.collaborators ?? {})) gh.addCollaborator(r.owner, r.name, login, perm);
  }
  for (const { token, ...spec } of seed.tokens ?? []) gh.addToken(token, spec);
  for (const app of seed.apps ?? []) {
    const privateKeyPem = app.privateKeyPath ? await readFile(resolve(base, app.privateKeyPath), 'utf8') : app.privateKeyPem;
    const publicKey = app.publicKeyPath ? await readFile(resolve(base, app.publicKeyPath), 'utf8') : app.publicKey;
    gh.addApp({ ...app, privateKeyPem, publicKey });
  }
  for (const t of seed.teams ?? []) gh.addTeam(t.org, t.slug, t.name);
  for (const u of seed.users ?? []) gh.addUser(u);

  process.stdout.write(`${JSON.stringify({ url: gh.url, apiUrl: gh.apiUrl, pid: process.pid })}\n`);
  const stop = (): void => {
    void gh.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fake-github: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
