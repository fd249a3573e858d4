import { tempDir } from '../support/temp-dir.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveSettings, type CliFlags } from '../../src/config/settings.js';
import { UsageError } from '../../src/errors.js';

const dir = tempDir('hms-settings-');

function resolve(flags: CliFlags, env: Record<string, string> = {}, cwd = dir) {
  return resolveSettings({ dryRun: true, ...flags }, { env, cwd });
}

function problems(flags: CliFlags, env: Record<string, string> = {}, cwd = dir): string[] {
  try {
    resolveSettings(flags, { env, cwd });
  } catch (error) {
    if (error instanceof UsageError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('settings: defaults', () => {
  it('uses the contract defaults', () => {
    const s = resolve({});
    expect(s.primaryUrl).toBe('https://models.aihorde.net/api');
    expect(s.githubApiUrl).toBe('https://api.github.com');
    expect(s.imageRepo.fullName).toBe('Haidra-Org/AI-Horde-image-model-reference');
    expect(s.textRepo.fullName).toBe('Haidra-Org/AI-Horde-text-model-reference');
    expect(s.baseBranch).toBe('main');
    expect(s.categories.map((c) => c.name)).toHaveLength(10);
    expect(s.labels).toEqual(['automated', 'sync', 'ready-for-review']);
    expect(s.reviewers).toEqual([]);
    expect(s.minChanges).toBe(1);
    expect(s.syncBranch).toBe('sync/from-primary');
    expect(s.auth.kind).toBe('none');
  });
});

describe('settings: precedence flags > environment > env file', () => {
  const cwd = tempDir('hms-envfile-');
  writeFileSync(
    join(cwd, '.env.sync'),
    'HORDE_GITHUB_SYNC_GITHUB_BRANCH=from-file\nHORDE_GITHUB_SYNC_PR_LABELS=file-label\nHORDE_GITHUB_SYNC_MIN_CHANGES_THRESHOLD=7\n',
  );

  it('reads .env.sync from the current directory', () => {
    const s = resolve({}, {}, cwd);
    expect(s.baseBranch).toBe('from-file');
    expect(s.labels).toEqual(['file-label']);
    expect(s.minChanges).toBe(7);
    expect(s.envFile).toBe(join(cwd, '.env.sync'));
  });

  it('lets the environment win over the env file', () => {
    const s = resolve({}, { HORDE_GITHUB_SYNC_GITHUB_BRANCH: 'from-env' }, cwd);
    expect(s.baseBranch).toBe('from-env');
    expect(s.labels).toEqual(['file-label']);
  });

  it('lets flags win over the environment', () => {
    const s = resolve({ baseBranch: 'from-flag', minChanges: '3' }, { HORDE_GITHUB_SYNC_GITHUB_BRANCH: 'from-env' }, cwd);
    expect(s.baseBranch).toBe('from-flag');
    expect(s.minChanges).toBe(3);
  });

  it('reads --env-file instead of .env.sync', () => {
    const other = join(cwd, 'other.env');
    writeFileSync(other, 'HORDE_GITHUB_SYNC_GITHUB_BRANCH=other-file\n');
    expect(resolve({ envFile: other }, {}, cwd).baseBranch).toBe('other-file');
  });

  it('reads booleans from the environment', () => {
    const s = resolveSettings({}, { env: { HORDE_GITHUB_SYNC_DRY_RUN: 'true', HORDE_GITHUB_SYNC_VERBOSE_LOGGING: 'yes' }, cwd: dir });
    expect(s.dryRun).toBe(true);
    expect(s.verbose).toBe(true);
  });

  it('prefers HORDE_GITHUB_SYNC_GITHUB_TOKEN over GITHUB_TOKEN', () => {
    const s = resolve({}, { GITHUB_TOKEN: 'ghp_fallbackfallback', HORDE_GITHUB_SYNC_GITHUB_TOKEN: 'ghp_primaryprimary' });
    expect(s.auth).toMatchObject({ kind: 'token', token: 'ghp_primaryprimary' });
    expect(resolve({}, { GITHUB_TOKEN: 'ghp_fallbackfallback' }).auth).toMatchObject({ kind: 'token', token: 'ghp_fallbackfallback' });
  });
});

describe('settings: values are normalised', () => {
  it('trims, drops trailing slashes and .git, lower-cases booleans and log formats', () => {
    const s = resolve(
      { primaryUrl: ' http://127.0.0.1:9/api// ', imageRepo: ' me/images.git ', baseBranch: ' develop ', minChanges: ' 3 ', logFormat: ' JSON ' },
      { HORDE_GITHUB_SYNC_VERBOSE_LOGGING: ' Yes ' },
    );
    expect(s.primaryUrl).toBe('http://127.0.0.1:9/api');
    expect(s.imageRepo).toEqual({ owner: 'me', name: 'images', fullName: 'me/images' });
    expect(s.baseBranch).toBe('develop');
    expect(s.minChanges).toBe(3);
    expect(s.logFormat).toBe('json');
    expect(s.verbose).toBe(true);
    expect(s.dryRun).toBe(true);
  });
});

describe('settings: lists and categories', () => {
  it('accepts aliases and keeps the registry order', () => {
    const s = resolve({ categories: 'db.json, stable_diffusion,clip' });
    expect(s.categories.map((c) => c.name)).toEqual(['clip', 'image_generation', 'text_generation']);
  });

  it('parses reviewers and team reviewers', () => {
    const s = resolve({ reviewers: 'alice, bob', teamReviewers: 'Haidra-Org/reviewers' });
    expect(s.reviewers).toEqual(['alice', 'bob']);
    expect(s.teamReviewers).toEqual(['reviewers']);
  });

  it('allows an empty label list', () => {
    expect(resolve({ labels: '' }).labels).toEqual([]);
  });
});

describe('settings: every validation error names the setting and what is accepted', () => {
  it('rejects an unknown category', () => {
    const [p] = problems({ dryRun: true, categories: 'image_generation,lora' });
    expect(p).toContain('--categories');
    expect(p).toContain('"lora"');
    expect(p).toContain('text_generation');
  });

  it('rejects a malformed owner/name', () => {
    const [p] = problems({ dryRun: true, imageRepo: 'not-a-repo' });
    expect(p).toMatch(/^--image-repo: "not-a-repo" is not of the form owner\/name/);
  });

  it('rejects a non-numeric threshold from the environment, naming the variable', () => {
    const [p] = problems({ dryRun: true }, { HORDE_GITHUB_SYNC_MIN_CHANGES_THRESHOLD: 'five' });
    expect(p).toContain('HORDE_GITHUB_SYNC_MIN_CHANGES_THRESHOLD (environment)');
    expect(p).toContain('not a whole number');
  });

  it('rejects a bad URL', () => {
    const [p] = problems({ dryRun: true, primaryUrl: 'models.aihorde.net' });
    expect(p).toContain('--primary-url');
    expect(p).toContain('http(s) URL');
  });

  it('rejects an unreadable env file', () => {
    const [p] = problems({ dryRun: true, envFile: join(dir, 'missing.env') });
    expect(p).toContain('--env-file');
    expect(p).toContain('ENOENT');
  });

  it('rejects a bad boolean in the env file, naming the file', () => {
    const cwd = tempDir('hms-envfile-');
    writeFileSync(join(cwd, '.env.sync'), 'HORDE_GITHUB_SYNC_DRY_RUN=maybe\n');
    const [p] = problems({}, {}, cwd);
    expect(p).toContain(`HORDE_GITHUB_SYNC_DRY_RUN (in ${join(cwd, '.env.sync')})`);
    expect(p).toContain('not a boolean');
  });

  it('reports every problem at once', () => {
    const found = problems({ dryRun: true, imageRepo: 'x', textRepo: 'y', minChanges: '-1', categories: 'nope' });
    expect(found).toHaveLength(4);
  });

  it('requires a credential for a real sync, and says how to get one', () => {
    const [p] = problems({});
    expect(p).toContain('HORDE_GITHUB_SYNC_GITHUB_TOKEN');
    expect(p).toContain('--dry-run');
  });

  it('rejects empty and invalid branch names', () => {
    expect(problems({ dryRun: true, baseBranch: '  ' })[0]).toMatch(/^--base-branch: "  " is empty; expected a branch name such as main/);
    expect(problems({ dryRun: true, baseBranch: 'feature..x' })[0]).toMatch(/^--base-branch: "feature\.\.x" is not a valid git branch name/);
    expect(problems({ dryRun: true, baseBranch: 'release.lock' })[0]).toContain('is not a valid git branch name');
  });

  it('rejects an App ID that is not a number', () => {
    const [p] = problems({ dryRun: true }, { GITHUB_APP_ID: 'my-app', GITHUB_APP_PRIVATE_KEY: 'x' });
    expect(p).toContain('GITHUB_APP_ID');
    expect(p).toContain('the numeric App ID from the App settings page');
  });

  it('rejects the same repository for images and text', () => {
    const [p] = problems({ dryRun: true, imageRepo: 'a/b', textRepo: 'a/b' });
    expect(p).toContain('two different repositories');
  });
});

describe('settings: GitHub App credentials', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

  it('reads the key from a file', () => {
    const path = join(dir, 'app.pem');
    writeFileSync(path, pem);
    const s = resolve({}, { GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY_PATH: path, GITHUB_APP_INSTALLATION_ID: '7' });
    expect(s.auth).toMatchObject({ kind: 'app', appId: '42', installationId: 7 });
  });

  it('accepts an inline key with literal \\n escapes', () => {
    const s = resolve({}, { GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    expect(s.auth.kind).toBe('app');
    if (s.auth.kind === 'app') expect(s.auth.privateKey).toBe(pem);
  });

  it('wins over a token', () => {
    const s = resolve({}, { GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: pem, GITHUB_TOKEN: 'ghp_xxxxxxxxxxxx' });
    expect(s.auth.kind).toBe('app');
  });

  it('rejects a malformed key without printing it', () => {
    const secretish = 'MIIEsecretkeymaterialthatmustnotleak';
    const found = problems({}, { GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: `-----BEGIN RSA PRIVATE KEY-----\n${secretish}\n-----END RSA PRIVATE KEY-----` });
    expect(found.join('\n')).toContain('not a valid PEM private key');
    expect(found.join('\n')).not.toContain(secretish);
  });

  it('asks for the key when only the App ID is set', () => {
    const found = problems({ dryRun: true }, { GITHUB_APP_ID: '42' });
    expect(found.join('\n')).toContain('GITHUB_APP_PRIVATE_KEY_PATH');
  });

  it('rejects a missing key file, naming the variable', () => {
    const found = problems({ dryRun: true }, { GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY_PATH: join(dir, 'nope.pem') });
    expect(found.join('\n')).toContain('GITHUB_APP_PRIVATE_KEY_PATH (environment)');
  });
});
