// `npm run mutate`: Stryker mutation testing of the pure domain files against the unit tests
// (jest.unit.config.js: no DynamoDB Local, no CDK, no bundling). Slow on 2 cores, so not in
// CI. One file: `npx stryker run --mutate functions/beneficiaries/photo-id.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.unit.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'functions/*/domain.ts',
    'functions/*/rules.ts',
    'functions/auth/otp.ts',
    'functions/beneficiaries/photo-id.ts',
    'functions/certificates/uvci.ts',
    'functions/certificates/dcc.ts',
  ],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process. Raise with --concurrency on a free machine.
  concurrency: 1,
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
