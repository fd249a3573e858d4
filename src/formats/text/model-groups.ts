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
  return primaryKeys.filter((key) => isPrimaryModelName(key, has));
}

/** What grouping needs to know about the models on both sides, asked one name at a time. */
export interface ModelNames {
  /** Whether models.csv has a model of this name. */
  isCurrent(name: string): boolean;
  /** Whether PRIMARY's body has a model of this name (see `isPrimaryModelName`). */
  isPrimary(name: string): boolean;
  /** The models of models.csv with this model_name. */
  currentWithModelName(modelName: string): readonly string[];
}

/** `primaryModelNames` for one key: whether PRIMARY's key names a model. */
export function isPrimaryModelName(key: string, has: (key: string) => boolean): boolean {
  return has(key) && (has(APHRODITE + key) || (!key.startsWith(APHRODITE) && !key.startsWith(KOBOLDCPP)));
}

/**
 * Groups changed keys by model. A `koboldcpp/` key belongs to every model with that model_name
 * (two names can share one, and then convert.py writes the key twice): those of models.csv, and
 * those only PRIMARY has, which are new and so among the changed keys themselves (a model name of
 * PRIMARY that models.csv lacks is not a key of db.json, short of a name that starts with a
 * backend prefix).
 */
export function groupKeysByModel(changedKeys: Iterable<string>, names: ModelNames): KeyGroups {
  const keys = [...changedKeys];
  const isModel = (name: string) => names.isCurrent(name) || names.isPrimary(name);
  const newByModelName = new Map<string, string[]>();
  for (const key of keys) {
    if (names.isCurrent(key) || !names.isPrimary(key)) continue;
    const modelName = modelNameOf(key);
    const list = newByModelName.get(modelName);
    if (list) list.push(key);
    else newByModelName.set(modelName, [key]);
  }
  const owners = (modelName: string): string[] => [...names.currentWithModelName(modelName), ...(newByModelName.get(modelName) ?? [])];

  const models = new Map<string, string[]>();
  const orphans: string[] = [];
  const add = (model: string, key: string) => {
    const list = models.get(model);
    if (list) list.push(key);
    else models.set(model, [key]);
  };
  for (const key of keys) {
    if (isModel(key)) {
      add(key, key);
    } else if (key.startsWith(APHRODITE) && isModel(key.slice(APHRODITE.length))) {
      add(key.slice(APHRODITE.length), key);
    } else if (key.startsWith(KOBOLDCPP) && owners(key.slice(KOBOLDCPP.length)).length > 0) {
      for (const model of owners(key.slice(KOBOLDCPP.length))) add(model, key);
    } else {
      orphans.push(key);
    }
  }
  return { models, orphans };
}
