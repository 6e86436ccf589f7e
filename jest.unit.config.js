// Unit tests only (no DynamoDB Local, no CDK synth, no bundling): what `npm run mutate`
// (Stryker) runs against each mutant. The full suite is jest.config.js.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/unit'],
  testPathIgnorePatterns: ['/node_modules/', 'lib/bundling\\.test\\.ts$', 'construct\\.test\\.ts$', 'openapi\\.test\\.ts$'],
  globalSetup: undefined,
  globalTeardown: undefined,
  collectCoverageFrom: undefined,
  coverageThreshold: undefined,
};
