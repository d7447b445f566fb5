// Writes test-output/jest.json for scripts/jest-summary.js: the counts, each suite's status and
// time, and each failed test's name. Jest's own --json serialises the whole error objects and
// throws on a circular one (a failed browser or pg assertion), leaving no file at all.
'use strict';
const fs = require('fs');
const path = require('path');

class JestResultReporter {
  constructor(globalConfig, options = {}) {
    this.file = options.outputFile ?? 'test-output/jest.json';
  }

  onRunComplete(_contexts, results) {
    const report = {
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests,
      numTodoTests: results.numTodoTests,
      numPassedTestSuites: results.numPassedTestSuites,
      numFailedTestSuites: results.numFailedTestSuites,
      testResults: results.testResults.map((suite) => ({
        name: suite.testFilePath,
        status: suite.numFailingTests > 0 || suite.testExecError || suite.failureMessage ? 'failed' : 'passed',
        seconds: Math.round((suite.perfStats.end - suite.perfStats.start) / 100) / 10,
        assertionResults: suite.testResults.map((t) => ({ status: t.status, fullName: t.fullName, seconds: (t.duration ?? 0) / 1000 })),
      })),
    };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(report, null, 1));
  }
}

module.exports = JestResultReporter;
