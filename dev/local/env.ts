/**
 * Imported first by bin/local.ts, before any module that builds a logger or metrics object:
 * locally the console shows warnings and errors only (LOG_LEVEL=INFO npm start for request
 * logs), and no CloudWatch metrics are flushed.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// Node 20.19+ is supported locally (package.json engines): only the SDK's Node-version notice is silenced, every other warning still shows.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
