/** The text_generation category: models.csv (source of truth) and db.json generated from it. */
export * from './convert.js';
export * from './csv.js';
export * from './csv-edit.js';
export * from './lex-equal.js';
export * from './model-groups.js';
export * from './parameters-bn.js';
export * from './python-compat.js';
export * from './python-json-compact.js';
export * from './python-json-loads.js';
export * from './reverse.js';
export * from './cell-choice.js';
export * from './row-fields.js';
export * from './row-placement.js';
export * from './write-text-generation.js';
