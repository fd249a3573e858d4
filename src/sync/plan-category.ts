/**
 * Plans one category: compares PRIMARY's body with the repository's file and computes the new
 * contents of every file that changes. Pure: no I/O. This is where the safety rules live — a 404
 * is a skip, a broken or empty body is an error, a mass removal is refused without --force — and
 * every write is checked against PRIMARY before it is allowed out.
 */
import type { CategoryDefinition } from '../categories.js';
import type { PrimaryResponse } from '../primary/client.js';
import { changeCount, compareEntries, EntriesShapeError, indexEntries, NO_CHANGES, type EntryDiff } from '../diff/compare-entries.js';
import { valuesEqual } from '../diff/values.js';
import { lookupOf, parseMemberValue, type MemberLookup, type TopLevelIndex } from '../formats/json/top-level.js';
import { writeJsonEntries } from '../formats/json/write-entries.js';
import { writeTextGeneration } from '../formats/text/write-text-generation.js';

export type CategoryStatus = 'changed' | 'in-sync' | 'skipped' | 'error';

export interface CategoryPlan {
  readonly category: CategoryDefinition;
  readonly status: CategoryStatus;
  /** What the written files change (entries that could not be written are left out). */
  readonly diff: EntryDiff;
  readonly error: string | null;
  /** New contents of the files that change, by path. */
  readonly writes: ReadonlyMap<string, string>;
}

export interface CategoryInput {
  readonly category: CategoryDefinition;
  readonly primary: PrimaryResponse;
  /** The repository's files at the base commit (compare file, written files, inputs); null = missing. */
  readonly files: ReadonlyMap<string, string | null>;
  /** Where the files were read, for messages, e.g. "o/r@main". */
  readonly location: string;
}

export interface PlanOptions {
  /** Allows removing more than half of a file's entries. */
  readonly force: boolean;
}

const failed = (category: CategoryDefinition, status: 'skipped' | 'error', error: string): CategoryPlan => ({
  category,
  status,
  diff: NO_CHANGES,
  error,
  writes: new Map(),
});

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function planCategory(input: CategoryInput, options: PlanOptions): CategoryPlan {
  const { category, primary } = input;
  if (primary.kind === 'missing') return failed(category, 'skipped', primary.message);
  if (primary.kind === 'error') return failed(category, 'error', primary.message);
  if (primary.kind === 'not-modified') return failed(category, 'error', `PRIMARY answered 304 for ${category.name} without a conditional request`);

  const currentText = input.files.get(category.compareFile);
  if (currentText === null || currentText === undefined) {
    return failed(category, 'error', `${category.compareFile} was not found in ${input.location}; check --base-branch, or leave ${category.name} out of --categories`);
  }
  for (const path of category.inputFiles) {
    if (input.files.get(path) == null) {
      return failed(category, 'error', `${path} (needed to regenerate ${category.compareFile}) was not found in ${input.location}`);
    }
  }

  let current: TopLevelIndex;
  let target: TopLevelIndex;
  try {
    current = indexEntries(currentText, `${category.compareFile} in ${input.location}`);
  } catch (error) {
    return failed(category, 'error', `${describeError(error)}; fix the file in the repository first`);
  }
  try {
    target = indexEntries(primary.body, `PRIMARY's ${category.name} (${primary.url})`);
  } catch (error) {
    const reason = error instanceof EntriesShapeError ? error.message : describeError(error);
    return failed(category, 'error', `${reason}; nothing of ${category.name} was written`);
  }
  if (target.members.length === 0 && current.members.length > 0) {
    return failed(
      category,
      'error',
      `PRIMARY returned no entries for ${category.name} (${primary.url}) while ${category.compareFile} has ${current.members.length}; refusing to remove them`,
    );
  }

  let diff: EntryDiff;
  try {
    diff = compareEntries(current, target);
    // Added entries are not parsed by the comparison; make sure each one is valid before writing it.
    for (const key of diff.added) parseMemberValue(target, target.byKey.get(key)!);
  } catch (error) {
    return failed(category, 'error', `PRIMARY's ${category.name} (${primary.url}): ${describeError(error)}; nothing of ${category.name} was written`);
  }
  if (changeCount(diff) === 0) return { category, status: 'in-sync', diff, error: null, writes: new Map() };

  const total = current.members.length;
  if (!options.force && diff.removed.length * 2 > total) {
    return {
      category,
      status: 'error',
      diff,
      error: `${category.name}: PRIMARY would remove ${diff.removed.length} of the ${total} entries in ${category.compareFile} (more than half); refused. If PRIMARY is right, run again with --force`,
      writes: new Map(),
    };
  }

  const changes = { added: diff.added, removed: diff.removed, modified: diff.modified.map((m) => m.key) };
  try {
    if (category.format === 'json-object') {
      const written = writeJsonEntries(currentText, primary.body, changes, { current, target });
      const problem = verifyWritten(written, target, changes);
      if (problem !== null) return failed(category, 'error', `${category.compareFile}: ${problem}; nothing written (please report this)`);
      return { category, status: 'changed', diff, error: null, writes: new Map([[category.compareFile, written]]) };
    }
    return planTextGeneration(input, primary.body, { current, target }, diff, changes);
  } catch (error) {
    return failed(category, 'error', `${category.name}: could not write the change: ${describeError(error)}; nothing written`);
  }
}

function planTextGeneration(
  input: CategoryInput,
  primaryBody: string,
  indexes: { current: TopLevelIndex; target: TopLevelIndex },
  diff: EntryDiff,
  changes: { added: readonly string[]; removed: readonly string[]; modified: readonly string[] },
): CategoryPlan {
  const { category } = input;
  const output = writeTextGeneration(
    {
      modelsCsv: input.files.get('models.csv') ?? '',
      dbJson: input.files.get('db.json') ?? '',
      defaultsJson: input.files.get('defaults.json') ?? '',
      generationParamsJson: input.files.get('generation_params.json') ?? '',
    },
    primaryBody,
    changes,
    // db.json is text_generation's compare file, so `current` is its index.
    { dbJson: category.compareFile === 'db.json' ? indexes.current : undefined, primary: indexes.target },
  );
  // Keys of models that could not be written are left out of the report of what the PR changes.
  const blocked = new Set<string>();
  for (const problem of output.problems) for (const key of dbJsonKeysOfModel(problem.model)) blocked.add(key);
  const written: EntryDiff = {
    added: diff.added.filter((k) => !blocked.has(k)),
    removed: diff.removed.filter((k) => !blocked.has(k)),
    modified: diff.modified.filter((m) => !blocked.has(m.key)),
  };
  const writes = new Map<string, string>();
  if (output.modelsCsv !== input.files.get('models.csv')) writes.set('models.csv', output.modelsCsv);
  if (output.dbJson !== input.files.get('db.json')) writes.set('db.json', output.dbJson);
  // A spliced db.json says where its members are (the copied ones were indexed as the repository's
  // file); the changed members are still parsed from the written text and compared with PRIMARY.
  const verified = verifyWritten(
    output.dbJson,
    indexes.target,
    { added: written.added, removed: written.removed, modified: written.modified.map((m) => m.key) },
    output.dbJsonMembers,
  );
  if (verified !== null) return failed(category, 'error', `db.json: ${verified}; nothing written (please report this)`);
  const problems = output.problems.map((p) => `${p.model}: ${p.message}`);
  const error =
    problems.length > 0
      ? `${problems.length} model(s) of PRIMARY cannot be written to models.csv and were left as they are: ${problems.join('; ')}`
      : null;
  const status = problems.length > 0 ? 'error' : changeCount(written) > 0 ? 'changed' : 'in-sync';
  return { category, status, diff: written, error, writes };
}

/** The three db.json keys convert.py makes for a model (`name.split("/")[1]` is its model_name). */
export function dbJsonKeysOfModel(name: string): string[] {
  const modelName = name.includes('/') ? (name.split('/')[1] ?? '') : name;
  return [name, `aphrodite/${name}`, `koboldcpp/${modelName}`];
}

/**
 * Checks a written file against PRIMARY for the entries that were meant to change: added and
 * modified ones equal PRIMARY's value, removed ones are gone. Returns a problem or null.
 */
export function verifyWritten(
  writtenText: string,
  target: TopLevelIndex,
  changes: { added: readonly string[]; removed: readonly string[]; modified: readonly string[] },
  writtenMembers?: MemberLookup,
): string | null {
  let written: MemberLookup;
  try {
    written = writtenMembers ?? lookupOf(indexEntries(writtenText, 'the written file'));
  } catch (error) {
    return `the written file is not valid: ${describeError(error)}`;
  }
  if (written.text !== writtenText) return 'the member lookup given for the written file is of another text';
  for (const key of [...changes.added, ...changes.modified]) {
    const member = written.member(key);
    const expected = target.byKey.get(key);
    if (member === undefined || expected === undefined) return `entry ${JSON.stringify(key)} is missing after writing`;
    if (!valuesEqual(parseMemberValue(written, member), parseMemberValue(target, expected))) {
      return `entry ${JSON.stringify(key)} does not equal PRIMARY's after writing`;
    }
  }
  for (const key of changes.removed) {
    if (written.member(key) !== undefined) return `entry ${JSON.stringify(key)} is still present after writing`;
  }
  return null;
}
