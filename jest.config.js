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
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', allowJs: true, isolatedModules: true, esModuleInterop: true, resolveJsonModule: true, target: 'ES2022' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  setupFiles: ['<rootDir>/test/support/quiet.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
