/**
 * From db.json keys back to models. Every models.csv row yields three keys (`name`,
 * `aphrodite/name`, `koboldcpp/<model_name>`), so a change to any of them is a change to the row;
 * this module finds the model behind each changed key and PRIMARY's order of models.
 */
import { modelNameOf } from './row-fields.js';

const APHRODITE = 'aphrodite/';
const KOBOLDCPP = 'koboldcpp/';

export interface KeyGroups {
  /** Model name → the changed keys that belong to it, models in first-seen order. */
  readonly models: Map<string, string[]>;
  /** Changed keys that are none of the three keys of any model on either side. */
  readonly orphans: string[];
}

/**
 * A key of PRIMARY names a model when its `aphrodite/` twin exists, or when it carries no backend
 * prefix at all (a model whose other keys are missing is still a model, reported as a problem).
 */
export function primaryModelNames(primaryKeys: readonly string[], has: (key: string) => boolean): string[] {
  return primaryKeys.filter(
    (key) => has(APHRODITE + key) || (!key.startsWith(APHRODITE) && !key.startsWith(KOBOLDCPP)),
  );
}

/**
 * Groups changed keys by model. `currentNames` are the names in models.csv, `primaryNames` the
 * models of PRIMARY's body. A `koboldcpp/` key belongs to every model with that model_name (two
 * names can share one, and then convert.py writes the key twice).
 */
export function groupKeysByModel(
  changedKeys: Iterable<string>,
  currentNames: ReadonlySet<string>,
  primaryNames: ReadonlySet<string>,
): KeyGroups {
  const isModel = (name: string) => currentNames.has(name) || primaryNames.has(name);
  const byModelName = new Map<string, string[]>();
  for (const name of new Set([...currentNames, ...primaryNames])) {
    const modelName = modelNameOf(name);
    const names = byModelName.get(modelName);
    if (names) names.push(name);
    else byModelName.set(modelName, [name]);
  }

  const models = new Map<string, string[]>();
  const orphans: string[] = [];
  const add = (model: string, key: string) => {
    const keys = models.get(model);
    if (keys) keys.push(key);
    else models.set(model, [key]);
  };
  for (const key of changedKeys) {
    if (isModel(key)) {
      add(key, key);
    } else if (key.startsWith(APHRODITE) && isModel(key.slice(APHRODITE.length))) {
      add(key.slice(APHRODITE.length), key);
    } else if (key.startsWith(KOBOLDCPP) && byModelName.has(key.slice(KOBOLDCPP.length))) {
      for (const model of byModelName.get(key.slice(KOBOLDCPP.length)) ?? []) add(model, key);
    } else {
      orphans.push(key);
    }
  }
  return { models, orphans };
}
