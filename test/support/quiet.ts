/**
 * Runs before every test file (jest `setupFiles`): `npm test` prints a summary per suite, not
 * request logs. Powertools logs warnings and errors only unless the caller asks for more
 * (`LOG_LEVEL=INFO npx jest ...` or POWERTOOLS_LOG_LEVEL). (The AWS SDK's Node.js version
 * notice is switched off in jest.config.js, which also covers the global setup.)
 */
if (!process.env.POWERTOOLS_LOG_LEVEL && !process.env.LOG_LEVEL) process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
