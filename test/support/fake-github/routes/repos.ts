import { fullRepository } from '../factories.js';
import { branchWithProtection, contentDirectory, contentFile, gitRef } from '../factories-git.js';
import { HttpError, notFound } from '../http.js';
import { route, type Route } from '../router.js';
import { loadRepo, paginate, requireAppPermission } from './common.js';

const DOC_CONTENTS = 'https://docs.github.com/rest/repos/contents#get-repository-content';
const DOC_BRANCH = 'https://docs.github.com/rest/branches/branches#get-a-branch';
const DOC_GET_REF = 'https://docs.github.com/rest/git/refs#get-a-reference';
const DOC_DELETE_REF = 'https://docs.github.com/rest/git/refs#delete-a-reference';
const DOC_GIT_COMMIT = 'https://docs.github.com/rest/git/commits#get-a-commit-object';
const DOC_GIT_TREE = 'https://docs.github.com/rest/git/trees#get-a-tree';

/** Octokit asks for raw bytes with this media type (`mediaType: { format: 'raw' }`). */
const RAW_ACCEPT = /application\/vnd\.github(\.v3)?\.raw/;

export const repoRoutes: Route[] = [
  route('GET', '/repos/:owner/:repo', (ctx) => {
    const { repo, access } = loadRepo(ctx);
    ctx.json(200, fullRepository(ctx.svc.urls, repo, ctx.principal.kind === 'none' ? null : access));
  }),

  route('GET', '/repos/:owner/:repo/branches', async (ctx) => {
    const { repo } = loadRepo(ctx);
    const branches = [...(await ctx.svc.store.branches(repo.gitDir)).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const items = await Promise.all(
      branches.map(async ([name, sha]) => ({
        name,
        commit: { sha, url: `${ctx.svc.urls.api}/repos/${repo.fullName}/commits/${sha}` },
        protected: await ctx.svc.store.isProtected(repo.gitDir, name),
      })),
    );
    const { page, headers } = paginate(ctx, items);
    ctx.json(200, page, headers);
  }),

  route('GET', '/repos/:owner/:repo/branches/*branch', async (ctx) => {
    const { repo } = loadRepo(ctx);
    const name = ctx.param('branch');
    const sha = await ctx.svc.store.branchSha(repo.gitDir, name);
    if (!sha) throw new HttpError(404, 'Branch not found', { documentationUrl: DOC_BRANCH });
    const details = await ctx.svc.store.commitDetails(repo.gitDir, sha);
    const prot = await ctx.svc.store.isProtected(repo.gitDir, name);
    ctx.json(200, branchWithProtection(ctx.svc.urls, repo, name, details, prot));
  }),

  route('GET', '/repos/:owner/:repo/contents/*path', async (ctx) => {
    const { repo } = loadRepo(ctx);
    requireAppPermission(ctx, ['contents'], 'read');
    const { store, urls } = ctx.svc;
    const refParam = ctx.query.get('ref');
    const ref = refParam || repo.defaultBranch;
    const commit = await store.resolveCommit(repo.gitDir, ref);
    if (!commit) {
      if (!refParam && (await store.branches(repo.gitDir)).size === 0) {
        throw new HttpError(404, 'This repository is empty.', { documentationUrl: DOC_CONTENTS });
      }
      throw new HttpError(404, `No commit found for the ref ${ref}`, { documentationUrl: DOC_CONTENTS });
    }
    const found = await store.lookup(repo.gitDir, commit, ctx.params.path ?? '');
    if (!found) throw notFound(DOC_CONTENTS);
    if (found.kind === 'dir') {
      ctx.json(200, contentDirectory(urls, repo, ref, found.entries));
      return;
    }
    const bytes = await store.catBlob(repo.gitDir, found.entry.sha);
    if (RAW_ACCEPT.test(ctx.req.headers.accept ?? '')) {
      // The recorded github.com answer: this exact content type, so Octokit hands back a string.
      ctx.raw(200, bytes, 'application/vnd.github.v3.raw; charset=utf-8', {
        'x-github-media-type': 'github.v3; param=raw',
        etag: `"${found.entry.sha}"`,
      });
      return;
    }
    ctx.json(200, contentFile(urls, repo, ref, found.entry, bytes), { etag: `W/"${found.entry.sha}"` });
  }),

  route('GET', '/repos/:owner/:repo/git/ref/*ref', async (ctx) => {
    const { repo } = loadRepo(ctx);
    const ref = `refs/${ctx.params.ref ?? ''}`;
    const sha = /^refs\/(heads|tags)\/./.test(ref) ? await ctx.svc.store.resolveCommit(repo.gitDir, ref) : null;
    if (!sha) throw notFound(DOC_GET_REF);
    ctx.json(200, gitRef(ctx.svc.urls, repo, ref, sha));
  }),

  route('GET', '/repos/:owner/:repo/git/commits/:sha', async (ctx) => {
    const { repo } = loadRepo(ctx);
    const sha = ctx.param('sha');
    const commit = /^[0-9a-f]{40}$/.test(sha) ? await ctx.svc.store.resolveCommit(repo.gitDir, sha) : null;
    if (!commit) throw new HttpError(404, 'Not Found', { documentationUrl: DOC_GIT_COMMIT });
    const details = await ctx.svc.store.commitDetails(repo.gitDir, commit);
    const api = `${ctx.svc.urls.api}/repos/${repo.fullName}`;
    ctx.json(200, {
      sha: details.sha,
      node_id: Buffer.from(`Commit:${details.sha}`).toString('base64'),
      url: `${api}/git/commits/${details.sha}`,
      html_url: `${ctx.svc.urls.web}/${repo.fullName}/commit/${details.sha}`,
      author: details.author,
      committer: details.committer,
      // GitHub returns the message with its final newline removed, as `git log` does.
      message: details.message,
      tree: { sha: details.tree, url: `${api}/git/trees/${details.tree}` },
      parents: details.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}`, html_url: `${ctx.svc.urls.web}/${repo.fullName}/commit/${p}` })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    });
  }),

  route('GET', '/repos/:owner/:repo/git/trees/*sha', async (ctx) => {
    const { repo } = loadRepo(ctx);
    const tree = await ctx.svc.store.listTree(repo.gitDir, ctx.params.sha ?? '');
    if (!tree) throw new HttpError(404, 'Not Found', { documentationUrl: DOC_GIT_TREE });
    const api = `${ctx.svc.urls.api}/repos/${repo.fullName}`;
    ctx.json(200, {
      sha: tree.sha,
      url: `${api}/git/trees/${tree.sha}`,
      truncated: false,
      tree: tree.entries.map((e) => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.size !== null ? { size: e.size } : {}),
        url: `${api}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
      })),
    });
  }),

  route('DELETE', '/repos/:owner/:repo/git/refs/*ref', async (ctx) => {
    const { repo } = loadRepo(ctx, 'write');
    requireAppPermission(ctx, ['contents'], 'write', DOC_DELETE_REF);
    const short = ctx.params.ref ?? '';
    const ref = `refs/${short}`;
    const branch = short.startsWith('heads/') ? short.slice('heads/'.length) : null;
    if (branch && (await ctx.svc.store.isProtected(repo.gitDir, branch))) {
      throw new HttpError(422, 'Cannot delete this protected branch', { documentationUrl: DOC_DELETE_REF });
    }
    const deleted = /^refs\/(heads|tags)\/./.test(ref) && (await ctx.svc.store.deleteRef(repo.gitDir, ref));
    if (!deleted) throw new HttpError(422, 'Reference does not exist', { documentationUrl: DOC_DELETE_REF });
    repo.pushedAt = ctx.svc.world.isoNow();
    await ctx.svc.refsChanged(repo);
    ctx.noContent();
  }),
];
