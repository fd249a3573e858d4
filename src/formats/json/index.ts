/** JSON model-reference files: reading their top level, their style, and writing changed entries. */
export { indexTopLevelObject, parseMemberValue, memberValueText, lineColumn, JsonShapeError } from './top-level.js';
export type { TopLevelIndex, TopLevelMember } from './top-level.js';
export { LexNumber, parseLex, fromPlain, toPlain, fromNode, isLexObject } from './lex-value.js';
export type { LexValue, LexObject } from './lex-value.js';
export {
  pythonDumps,
  pythonEncodeString,
  pythonNumberRepr,
  pythonFloatRepr,
  PY_INDENT4,
  PY_INDENT_TAB,
} from './python-json.js';
export type { PythonDumpOptions } from './python-json.js';
export { isPythonDumpsText } from './python-check.js';
export { detectJsonStyle, dumpOptions } from './style.js';
export type { JsonStyle } from './style.js';
export { lexEqual } from './lex-equal.js';
export { writeJsonEntries, EntryChangesError, JsonWriteError } from './write-entries.js';
export type { EntryChanges, WriteJsonInputs } from './write-entries.js';
export { verifyWrittenEntries, entryEquals, hasMismatches } from './verify.js';
export type { EntryMismatches } from './verify.js';
export { applyTextEdits } from './text-edits.js';
export type { TextEdit } from './text-edits.js';
