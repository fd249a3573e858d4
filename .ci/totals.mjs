// Sums vitest JSON reports into the one closing line CI reads: "tests: N passed, N failed".
// A report that is missing or ran no test counts as a failure, so an empty run cannot pass.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const files = process.argv.slice(2).filter((f) => !f.includes('*'));
for (const file of files) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numTodoTests ?? 0) + (report.numPendingTests ?? 0);
    if ((report.numTotalTests ?? 0) === 0) failed += 1;
    if (report.success === false && (report.numFailedTests ?? 0) === 0) failed += 1;
  } catch {
    failed += 1;
  }
}
if (files.length === 0) failed += 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
