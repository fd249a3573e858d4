/** Reads the text_generation fixtures (fixtures/text/, see its README for provenance). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TextGenerationInput } from '../../../../src/formats/text/index.js';

export const FIXTURES = resolve(import.meta.dirname, '../../../../fixtures/text');

/** Fixture folders holding a models.csv with its recorded db.json. */
export const CONVERT_FIXTURES = ['excerpt-2025-08', 'excerpt-2025-11', 'excerpt-2026-06', 'synthetic', 'synthetic-lf', 'odd-rows'];

export function fixtureFile(folder: string, file: string): string {
  return readFileSync(join(FIXTURES, folder, file), 'utf8');
}

export function fixtureInput(folder: string): TextGenerationInput {
  return {
    modelsCsv: fixtureFile(folder, 'models.csv'),
    // The convert-errors folders have none: convert.py fails on them.
    dbJson: existsSync(join(FIXTURES, folder, 'db.json')) ? fixtureFile(folder, 'db.json') : '',
    defaultsJson: fixtureFile(folder, 'defaults.json'),
    generationParamsJson: fixtureFile(folder, 'generation_params.json'),
  };
}

/**
 * With HORDE_SYNC_TEXT_OUT set (scripts/check-convert-against-python.sh sets it), keeps a written
 * models.csv with its inputs and the port's db.json, so the real convert.py can be run on it.
 */
export function keepForPython(name: string, input: TextGenerationInput, modelsCsv: string, dbJson: string): void {
  const outDir = process.env.HORDE_SYNC_TEXT_OUT;
  if (!outDir) return;
  const dir = join(outDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'models.csv'), modelsCsv);
  writeFileSync(join(dir, 'db.json'), dbJson);
  writeFileSync(join(dir, 'defaults.json'), input.defaultsJson);
  writeFileSync(join(dir, 'generation_params.json'), input.generationParamsJson);
}
