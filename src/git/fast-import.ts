/**
 * The input of `git fast-import` for one commit: a child of `parent` that replaces some files'
 * contents and leaves every other path of the parent's tree as it is. A pure function over data,
 * yielding Buffers: a 100 MB file is encoded a slice at a time as git's stdin takes it, never as
 * one 100 MB copy.
 */
import { utf8Slices } from '../util/utf8-slices.js';
import type { GitIdentityPair } from './workspace.js';

export interface FastImportFile {
  readonly path: string;
  /** Git file mode, as in the parent tree: 100644, or 100755 for an executable file. */
  readonly mode: string;
  readonly text: string;
}

export interface FastImportCommit {
  readonly ref: string;
  readonly parent: string;
  readonly message: string;
  readonly identity: GitIdentityPair;
  /** Seconds since the epoch, for both author and committer (recorded in UTC). */
  readonly time: number;
  readonly files: readonly FastImportFile[];
}

/** fast-import reads a person as `Name <email>`: neither part may hold angle brackets or a newline. */
function person(role: string, who: { readonly name: string; readonly email: string }, time: number): string {
  for (const [field, value] of [
    ['name', who.name],
    ['email', who.email],
  ] as const) {
    if (/[<>\n]/.test(value)) throw new Error(`the git ${role} ${field} ${JSON.stringify(value)} may not contain <, > or a line break`);
  }
  return `${role} ${who.name} <${who.email}> ${time} +0000\n`;
}

/** Paths are written unquoted; fast-import would read a leading quote or a newline differently. */
function plainPath(path: string): string {
  if (path === '' || path.startsWith('"') || /[\n\r]/.test(path)) throw new Error(`cannot commit the path ${JSON.stringify(path)}`);
  return path;
}

function data(bytes: Buffer): Buffer[] {
  return [Buffer.from(`data ${bytes.length}\n`, 'utf8'), bytes, Buffer.from('\n', 'utf8')];
}

function* textData(text: string): Generator<Buffer> {
  yield Buffer.from(`data ${Buffer.byteLength(text, 'utf8')}\n`, 'utf8');
  yield* utf8Slices(text);
  yield Buffer.from('\n', 'utf8');
}

export function* fastImportStream(commit: FastImportCommit): Generator<Buffer> {
  if (!/^[0-9a-f]{40,64}$/.test(commit.parent)) throw new Error(`not a commit id: ${commit.parent}`);
  yield Buffer.from(
    `commit ${commit.ref}\nmark :1\n` + person('author', commit.identity.author, commit.time) + person('committer', commit.identity.committer, commit.time),
    'utf8',
  );
  yield* data(Buffer.from(commit.message, 'utf8'));
  yield Buffer.from(`from ${commit.parent}\n`, 'utf8');
  for (const file of commit.files) {
    if (!/^100(644|755)$/.test(file.mode)) throw new Error(`unexpected file mode ${file.mode} for ${file.path}`);
    yield Buffer.from(`M ${file.mode} inline ${plainPath(file.path)}\n`, 'utf8');
    yield* textData(file.text);
  }
  yield Buffer.from('\ndone\n', 'utf8');
}
