// ts-jest transpiles only (isolatedModules); `npm run lint` type-checks the whole tree.
// Some dependencies ship ESM only (middy, jose, pkijs): jest's module system needs them
// transpiled to CommonJS too, so they are excluded from transformIgnorePatterns.
const esmOnly = ['@middy', 'jose', 'pkijs', 'asn1js', 'bytestreamjs', 'pvtsutils', 'pvutils', '@peculiar', '@noble'];
// The AWS SDK's notice about future Node.js versions is about its support policy, not this code;
// set here so it covers the global setup (DynamoDB Local) and, inherited, every worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: {
          module: 'commonjs',
          moduleResolution: 'node10',
          allowJs: true,
          isolatedModules: true,
          esModuleInterop: true,
          resolveJsonModule: true,
          target: 'ES2022',
        },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  setupFiles: ['<rootDir>/test/support/quiet.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Generous on purpose: on a loaded 2-core machine starting a test stack (tables, reference
  // data) took close to the old 60 s in beforeAll. Speed is the bench's business; this only
  // bounds a hung test.
  testTimeout: 300000, // an integration stack can take minutes to start on 2 loaded cores (a full run)
  // Coverage, in `npm test` itself so the thresholds gate CI: every function and CDK file, loaded
  // by a test or not. `npm test` prints the summary; `npm run test:coverage` adds the per-file table.
  coverageProvider: 'v8',
  collectCoverageFrom: ['functions/**/*.ts', 'lib/**/*.ts', '!**/*.d.ts', '!functions/metadata/data/**'],
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  // About two points below the first complete coverage run of the restructured tree (CI of
  // 2026-12-02: 97.05 / 85.83 / 96.24 / 97.05 %, 101 suites), so coverage cannot drop silently.
  coverageThreshold: { global: { statements: 95, branches: 84, functions: 94, lines: 95 } },
  maxWorkers: 2,
};
