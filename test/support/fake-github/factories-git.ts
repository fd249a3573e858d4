import type { components } from '@octokit/openapi-types';
import { encPath, nodeId, repoApi, repoWeb, type Urls } from './factories.js';
import type { CommitInfo, TreeEntry } from './git-store.js';
import type { RepoRecord } from './state.js';

type S = components['schemas'];

/** Shapes of git objects and repository contents (refs, commits, branches, contents API). */

export function gitRef(u: Urls, repo: RepoRecord, ref: string, sha: string) {
  return {
    ref,
    node_id: nodeId('Ref', repo.id),
    url: `${repoApi(u, repo)}/git/${encPath(ref)}`,
    object: { type: 'commit', sha, url: `${repoApi(u, repo)}/git/commits/${sha}` },
  } satisfies S['git-ref'];
}

export function commit(u: Urls, repo: RepoRecord, c: CommitInfo & { tree: string }) {
  const r = repoApi(u, repo);
  return {
    url: `${r}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId('Commit', repo.id),
    html_url: `${repoWeb(u, repo)}/commit/${c.sha}`,
    comments_url: `${r}/commits/${c.sha}/comments`,
    commit: {
      url: `${r}/git/commits/${c.sha}`,
      author: { name: c.author.name, email: c.author.email, date: isoZ(c.author.date) },
      committer: { name: c.committer.name, email: c.committer.email, date: isoZ(c.committer.date) },
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: `${r}/git/trees/${c.tree}` },
      verification: { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null },
    },
    author: null,
    committer: null,
    parents: c.parents.map((p) => ({ sha: p, url: `${r}/commits/${p}`, html_url: `${repoWeb(u, repo)}/commit/${p}` })),
  } satisfies S['commit'];
}

export function branchWithProtection(
  u: Urls,
  repo: RepoRecord,
  name: string,
  c: CommitInfo & { tree: string },
  isProtected: boolean,
) {
  const r = repoApi(u, repo);
  return {
    name,
    commit: commit(u, repo, c),
    _links: { self: `${r}/branches/${encodeURIComponent(name)}`, html: `${repoWeb(u, repo)}/tree/${name}` },
    protected: isProtected,
    protection: {
      enabled: isProtected,
      required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
    },
    protection_url: `${r}/branches/${encodeURIComponent(name)}/protection`,
  } satisfies S['branch-with-protection'];
}

/** Ruby's Base64.encode64, which GitHub uses: a newline after every 60 characters and at the end. */
export function wrapBase64(buf: Buffer): string {
  const b64 = buf.toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += 60) out += `${b64.slice(i, i + 60)}\n`;
  return out;
}

/** Above 1 MB the contents API stops inlining the bytes: `encoding: "none"`, empty content. */
export const CONTENTS_INLINE_LIMIT = 1024 * 1024;

function contentLinks(u: Urls, repo: RepoRecord, ref: string, e: TreeEntry) {
  const r = repoApi(u, repo);
  const self = `${r}/contents/${encPath(e.path)}?ref=${encodeURIComponent(ref)}`;
  const git = e.type === 'tree' ? `${r}/git/trees/${e.sha}` : `${r}/git/blobs/${e.sha}`;
  const html = `${repoWeb(u, repo)}/${e.type === 'tree' ? 'tree' : 'blob'}/${ref}/${encPath(e.path)}`;
  return { self, git, html };
}

export function contentFile(u: Urls, repo: RepoRecord, ref: string, e: TreeEntry, bytes: Buffer) {
  const links = contentLinks(u, repo, ref, e);
  const inline = bytes.length <= CONTENTS_INLINE_LIMIT;
  return {
    type: 'file' as const,
    encoding: inline ? 'base64' : 'none',
    size: bytes.length,
    name: e.name,
    path: e.path,
    content: inline ? wrapBase64(bytes) : '',
    sha: e.sha,
    url: links.self,
    git_url: links.git,
    html_url: links.html,
    download_url: `${u.web}/raw/${repo.fullName}/${ref}/${encPath(e.path)}`,
    _links: links,
  } satisfies S['content-file'];
}

export function contentDirectory(u: Urls, repo: RepoRecord, ref: string, entries: TreeEntry[]) {
  return entries.map((e) => {
    const links = contentLinks(u, repo, ref, e);
    const type = e.type === 'tree' ? ('dir' as const) : e.type === 'commit' ? ('submodule' as const) : e.mode === '120000' ? ('symlink' as const) : ('file' as const);
    return {
      type,
      size: e.size ?? 0,
      name: e.name,
      path: e.path,
      sha: e.sha,
      url: links.self,
      git_url: links.git,
      html_url: links.html,
      download_url: type === 'file' ? `${u.web}/raw/${repo.fullName}/${ref}/${encPath(e.path)}` : null,
      _links: links,
    };
  }) satisfies S['content-directory'];
}

const isoZ = (d: string): string => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
