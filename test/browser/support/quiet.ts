// Imported first by the browser tests: logs stay off unless asked for (LOG_LEVEL=WARN), as in test/support/quiet.ts.
if (!process.env.POWERTOOLS_LOG_LEVEL && !process.env.LOG_LEVEL) process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
export {};
