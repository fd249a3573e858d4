/**
 * `npm run demo`: the main job end to end, with no network and no GitHub account. Starts a fake
 * GitHub (real git over HTTP + the REST routes the tool uses) and a fake PRIMARY on 127.0.0.1,
 * seeded from fixtures/sync (real repository files at an older snapshot; PRIMARY at a newer one),
 * runs the built CLI as a maintainer would, prints the pull requests it opened (title, body,
 * diff), then runs it again to show that an unchanged drift changes nothing.
 */
import { createTwoFilesPatch } from 'diff';
import { runCli } from '../test/support/run-cli.js';
import { startSyncScenario, type SyncScenario } from '../test/support/sync-scenario.js';

const rule = (title: string): string => `\n${'━'.repeat(4)} ${title} ${'━'.repeat(Math.max(4, 90 - title.length))}\n`;

async function showPullRequests(s: SyncScenario): Promise<void> {
  for (const [repo, files] of [
    [s.imageRepo, s.data.imageRepo],
    [s.textRepo, s.data.textRepo],
  ] as const) {
    for (const pr of s.gh.pulls(s.owner, repo)) {
      process.stdout.write(rule(`${s.owner}/${repo} — pull request #${pr.number} (${pr.state})`));
      process.stdout.write(`Title:  ${pr.title}\nBranch: ${pr.head} → ${pr.base}\nLabels: ${pr.labels.join(', ')}\n\n${pr.body ?? ''}\n`);
      process.stdout.write(rule(`diff of #${pr.number}`));
      for (const path of Object.keys(files)) {
        const before = (await s.gh.readFile(s.owner, repo, pr.base, path)) ?? '';
        const after = (await s.gh.readFile(s.owner, repo, pr.head, path)) ?? '';
        if (before !== after) process.stdout.write(createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 2 }));
      }
    }
  }
}

async function main(): Promise<void> {
  const s = await startSyncScenario({ owner: 'Haidra-Org' });
  try {
    process.stdout.write(rule('horde-model-sync demo'));
    process.stdout.write(
      `fake GitHub:  ${s.gh.apiUrl}  (repositories ${s.owner}/${s.imageRepo}, ${s.owner}/${s.textRepo})\n` +
        `fake PRIMARY: ${s.primary.url}\n\n$ horde-model-sync ${s.args.join(' ')}\n`,
    );
    const first = await runCli(s.args, { env: s.env });
    process.stdout.write(first.stderr);
    process.stdout.write(`(exit code ${first.code}, ${first.durationMs} ms)\n`);
    await showPullRequests(s);

    process.stdout.write(rule('the same run again: nothing changed, so nothing is pushed or opened'));
    const second = await runCli([...s.args, '--categories', 'image_generation,text_generation'], { env: s.env });
    process.stdout.write(second.stderr);
    process.stdout.write(`(exit code ${second.code}, ${second.durationMs} ms)\n`);
    if (first.code !== 0 || second.code !== 0) process.exitCode = 1;
    process.stdout.write(
      `\nNext: npm test runs the whole suite; npx horde-model-sync --dry-run previews the real drift (no credentials needed).\n`,
    );
  } finally {
    await s.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
