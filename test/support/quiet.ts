/**
 * Runs before every test file (jest `setupFiles`): `npm test` prints a summary per suite, not
 * logs. Many tests drive error paths on purpose (a dead letter, a malformed message, a throttled
 * SMS), and their expected WARN/ERROR lines buried the summary, so Powertools is silent unless
 * the caller asks (`LOG_LEVEL=WARN npx jest ...`, or POWERTOOLS_LOG_LEVEL). Tests that check what
 * is logged set their own level. (The AWS SDK's Node.js version notice is switched off in
 * jest.config.js, which also covers the global setup.)
 */
if (!process.env.POWERTOOLS_LOG_LEVEL && !process.env.LOG_LEVEL) process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
// No CloudWatch here, as in the local runtime (dev/local/env.ts): set before any handler module
// builds its Lambda wrapper, or each invocation printed Powertools' "No application metrics to
// publish" (260 lines in one npm test).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// Synths that bundle (test/infra) run scripts/copy-node-modules.mjs, which reports what it copied.
process.env.COPY_NODE_MODULES_QUIET ??= '1';
