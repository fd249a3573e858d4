/**
 * Plans one repository: every selected category of it, merged into the set of files a sync
 * pull request would carry. Pure.
 */
import type { CategoryDefinition } from '../categories.js';
import type { PrimaryResponse } from '../primary/client.js';
import type { CategoryReport } from '../report/types.js';
import { planCategory, type CategoryPlan, type PlanOptions } from './plan-category.js';
import type { RepoChange } from './pull-request.js';

export interface RepoInputs {
  readonly categories: readonly CategoryDefinition[];
  readonly primary: ReadonlyMap<string, PrimaryResponse>;
  readonly files: ReadonlyMap<string, string | null>;
  readonly location: string;
  readonly baseSha: string;
  readonly cloneUrl: string;
}

/** Every file a repository's selected categories read or write. */
export function filesOfCategories(categories: readonly CategoryDefinition[]): string[] {
  const paths = new Set<string>();
  for (const c of categories) for (const p of [c.compareFile, ...c.files, ...c.inputFiles]) paths.add(p);
  return [...paths];
}

export function categoryReport(plan: CategoryPlan): CategoryReport {
  const modifiedFields: Record<string, readonly string[]> = {};
  for (const m of plan.diff.modified) modifiedFields[m.key] = m.fields;
  return {
    category: plan.category.name,
    files: plan.category.files,
    status: plan.status,
    added: plan.diff.added,
    removed: plan.diff.removed,
    modified: plan.diff.modified.map((m) => m.key),
    error: plan.error,
    modifiedFields,
  };
}

export function planRepo(inputs: RepoInputs, options: PlanOptions): RepoChange {
  const writes = new Map<string, string>();
  const reports: CategoryReport[] = [];
  for (const category of inputs.categories) {
    const primary = inputs.primary.get(category.name);
    if (primary === undefined) throw new Error(`no PRIMARY response for ${category.name}`);
    const plan = planCategory({ category, primary, files: inputs.files, location: inputs.location }, options);
    for (const [path, text] of plan.writes) writes.set(path, text);
    reports.push(categoryReport(plan));
  }
  return { baseSha: inputs.baseSha, cloneUrl: inputs.cloneUrl, baseFiles: inputs.files, writes, categories: reports };
}
