#!/usr/bin/env node
// Reads test-output/jest.json (scripts/jest-result-reporter.js) and prints the failing suites, then the closing line CI reads:
//   tests: N passed, N failed
// A suite that failed before running any test (a compile error, a crash in beforeAll) counts
// as one failed test, so the line never says "0 failed" for a red run.
'use strict';
const fs = require('fs');

const file = process.argv[2];
let report;
try {
  report = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {
  console.log(`jest wrote no result file (${file}): it did not run`);
  console.log('tests: 0 passed, 0 failed');
  process.exit(0);
}

let failed = report.numFailedTests;
const broken = [];
for (const suite of report.testResults ?? []) {
  const name = suite.name.replace(process.cwd() + '/', '');
  const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
  if (suite.status === 'failed' && failedTests.length === 0) {
    failed += 1;
    broken.push(`  ${name}: suite failed to run`);
  }
  for (const t of failedTests) broken.push(`  ${name}: ${t.fullName}`);
}
// The slowest suites, so a run that grows past CI's time shows where its time went.
const slowest = [...(report.testResults ?? [])].sort((a, b) => (b.seconds ?? 0) - (a.seconds ?? 0)).slice(0, 10);
if (slowest.length && slowest[0].seconds !== undefined) {
  console.log('slowest suites:');
  for (const s of slowest) console.log(`  ${s.seconds.toFixed(1)} s  ${s.name.replace(process.cwd() + '/', '')}`);
}
if (broken.length) {
  console.log('failed:');
  for (const line of broken) console.log(line);
}
const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
console.log(`suites: ${report.numPassedTestSuites} passed, ${report.numFailedTestSuites} failed` + (skipped ? `; ${skipped} tests skipped` : ''));
console.log(`tests: ${report.numPassedTests} passed, ${failed} failed`);
