// One configuration for unit specs (beside the code) and end-to-end specs (test/).
// Nest 12 ships as ES modules only and Jest on Node 20 can load them only in its ESM mode,
// so specs are compiled to ESM by ts-jest and jest runs with --experimental-vm-modules
// (see scripts/test.sh). The application itself still compiles to CommonJS and loads Nest
// through Node's require(esm).
// Every suite that touches PostgreSQL creates and drops its own database, so suites run in parallel.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '(libs|apps|config)/.*\\.spec\\.ts$|test/.*\\.e2e-spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json', useESM: true }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  setupFiles: ['reflect-metadata'],
  testEnvironment: 'node',
  testEnvironmentOptions: { globalsCleanup: 'off' },
  testTimeout: 60000,
  maxWorkers: 2,
  // Each suite evaluates Nest, TypeORM and the app anew (ESM), and their global metadata stores
  // keep every earlier suite's classes: a worker's heap grows ~100 MB a suite and, late in the
  // run, spends its time collecting garbage (a unit spec of 3 s took 93 s). A worker whose heap
  // passes this after a suite is replaced by a fresh one.
  workerIdleMemoryLimit: '800MB',
  // The test command (scripts/test.sh) names a result file for scripts/jest-summary.js.
  reporters: process.env.JEST_RESULT_FILE
    ? ['default', ['<rootDir>/scripts/jest-result-reporter.js', { outputFile: process.env.JEST_RESULT_FILE }]]
    : ['default'],
};
