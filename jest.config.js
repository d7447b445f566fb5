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
};
