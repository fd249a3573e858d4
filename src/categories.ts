/**
 * The synced categories, as data. Adding a category is one entry here: the reader, the diff, the
 * writers and the report all work from this table.
 */

export type RepoRole = 'image' | 'text';

/** How a category's files are read and written. */
export type CategoryFormat =
  /** One JSON file holding an object of entries, edited in place. */
  | 'json-object'
  /** `models.csv` (source of truth) plus `db.json` generated from it by the repository's convert.py. */
  | 'text-generation';

export interface CategoryDefinition {
  /** Name used on the command line, in reports and as the PRIMARY v1 path segment. */
  readonly name: string;
  readonly repo: RepoRole;
  readonly format: CategoryFormat;
  /** The file whose entries are compared with PRIMARY's body. */
  readonly compareFile: string;
  /** Every file a sync may write, in the order they are reported. */
  readonly files: readonly string[];
  /** Files only read, because the writer needs them (convert.py's inputs). */
  readonly inputFiles: readonly string[];
  /** Other names PRIMARY and maintainers use for the category; accepted by `--categories`. */
  readonly aliases: readonly string[];
  /** Its bodies are large (megabytes); fetched first so they never queue behind small ones. */
  readonly large?: boolean;
}

const imageJson = (name: string, file = `${name}.json`, aliases: string[] = []): CategoryDefinition => ({
  name,
  repo: 'image',
  format: 'json-object',
  compareFile: file,
  files: [file],
  inputFiles: [],
  aliases,
});

export const CATEGORIES: readonly CategoryDefinition[] = [
  imageJson('blip'),
  imageJson('clip'),
  imageJson('codeformer'),
  imageJson('controlnet'),
  imageJson('esrgan'),
  imageJson('gfpgan'),
  imageJson('miscellaneous'),
  imageJson('safety_checker'),
  { ...imageJson('image_generation', 'stable_diffusion.json', ['stable_diffusion', 'stable_diffusion.json']), large: true },
  {
    name: 'text_generation',
    repo: 'text',
    format: 'text-generation',
    compareFile: 'db.json',
    files: ['models.csv', 'db.json'],
    inputFiles: ['defaults.json', 'generation_params.json'],
    aliases: ['db.json', 'models.csv'],
    large: true,
  },
];

export const CATEGORY_NAMES: readonly string[] = CATEGORIES.map((c) => c.name);

const byNameOrAlias = new Map<string, CategoryDefinition>();
for (const category of CATEGORIES) {
  byNameOrAlias.set(category.name, category);
  for (const alias of category.aliases) byNameOrAlias.set(alias, category);
}

/** Resolves a category name or alias (case-sensitive, as PRIMARY is); undefined when unknown. */
export function findCategory(nameOrAlias: string): CategoryDefinition | undefined {
  return byNameOrAlias.get(nameOrAlias.trim());
}

export function categoriesOfRepo(role: RepoRole, selected: readonly CategoryDefinition[]): CategoryDefinition[] {
  return selected.filter((c) => c.repo === role);
}
