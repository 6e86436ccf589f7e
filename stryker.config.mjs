// `npm run mutate`: Stryker mutation testing of the pure domain files against the unit tests
// (jest.unit.config.js: no DynamoDB Local, no CDK, no bundling). Slow on 2 cores, so not in
// CI. One file: `npx stryker run --mutate functions/beneficiaries/domain/photo-id.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.unit.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The domain files whose rules guard a limit or an identity check (npx stryker run --mutate <file> for any other).
  mutate: [
    'functions/auth/domain.ts',
    'functions/booking/domain/booking.ts',
    'functions/sessions/domain/capacity.ts',
    'functions/beneficiaries/domain/photo-id.ts',
    'functions/vaccination/domain/vaccination.ts',
    'functions/certificates/domain/uvci.ts',
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
