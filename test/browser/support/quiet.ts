// Imported first by the browser tests: request logs stay off (warnings and errors only).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
export {};
