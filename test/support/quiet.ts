/**
 * Runs before every test file (jest `setupFiles`): `npm test` prints a summary per suite, not
 * logs. Many tests drive error paths on purpose (a dead letter, a malformed message, a throttled
 * SMS), and their expected WARN/ERROR lines buried the summary, so Powertools is silent unless
 * the caller asks (`LOG_LEVEL=WARN npx jest ...`, or POWERTOOLS_LOG_LEVEL). Tests that check what
 * is logged set their own level. (The AWS SDK's Node.js version notice is switched off in
 * jest.config.js, which also covers the global setup.)
 */
if (!process.env.POWERTOOLS_LOG_LEVEL && !process.env.LOG_LEVEL) process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
