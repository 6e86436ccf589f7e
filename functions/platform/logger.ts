import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools). Rule: never log request bodies, OTPs, tokens, mobile
 * numbers or ID numbers; log ids, codes, routes and timings. The correlation id is appended
 * per request by functions/platform/http/dispatch.ts.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'open-cowin',
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'INFO') as 'INFO',
});
