/**
 * Runs the text_generation writer the way the sync does: changes from an independent diff of
 * db.json. The writer splices db.json when the repository's file has convert.py's layout and
 * renders all of it when not (here: the same file with CRLF, db.json's line ending until 2023-12);
 * both must give the same result.
 */
import { expect } from 'vitest';
import { convertToDbJson, writeTextGeneration, type TextGenerationInput, type TextGenerationOutput } from '../../../../src/formats/text/index.js';
import { diffDbJson } from './changes.js';
import type { Primary } from './primary.js';

export function syncBothWays(input: TextGenerationInput, primary: Primary): TextGenerationOutput {
  const before = convertToDbJson(input.modelsCsv, input.defaultsJson, input.generationParamsJson);
  const changes = diffDbJson(before, primary.dbJson);
  const out = writeTextGeneration({ ...input, dbJson: before }, primary.body, changes);
  const rendered = writeTextGeneration({ ...input, dbJson: before.replaceAll('\n', '\r\n') }, primary.body, changes);
  expect(rendered.dbJson === out.dbJson).toBe(true);
  expect({ ...rendered, dbJsonMembers: undefined }).toEqual({ ...out, dbJsonMembers: undefined });
  return out;
}
