import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncScenario, type SyncScenario } from '../support/sync-scenario.js';
import { pullRequestOf, syncJson } from './helpers.js';

describe("a maintainer's shell environment does not change the sync", () => {
  let s: SyncScenario;
  beforeAll(async () => {
    s = await startSyncScenario();
  });
  afterAll(async () => s.close());

  it('EDITOR, PAGER, GIT_DIR and GIT_TRACE are ignored by the git the tool runs', async () => {
    const result = await syncJson(s, ['--categories', 'image_generation'], {
      EDITOR: 'vim',
      VISUAL: 'emacs',
      PAGER: 'less',
      GIT_DIR: '/nonexistent/.git',
      GIT_WORK_TREE: '/nonexistent',
      GIT_TRACE: '1',
      GIT_CURL_VERBOSE: '1',
      GIT_AUTHOR_NAME: 'Sync Bot',
      GIT_AUTHOR_EMAIL: 'sync-bot@example.org',
    });
    expect(result.run.stderr).not.toMatch(/error|trace:/i);
    expect(result.run.code).toBe(0);
    expect(pullRequestOf(result, s.imageRepo)).toMatchObject({ action: 'created' });
    // The documented identity variables are honoured; everything else from the shell is not.
    const [commit] = await s.gh.log(s.owner, s.imageRepo, 'sync/from-primary', 1);
    expect(commit!.author).toMatchObject({ name: 'Sync Bot', email: 'sync-bot@example.org' });
    expect(commit!.committer).toMatchObject({ name: 'Sync Bot', email: 'sync-bot@example.org' });
  });
});
