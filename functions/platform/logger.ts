import { Logger } from '@aws-lambda-powertools/logger';
import { config } from './config';

/**
 * Structured JSON logs (Powertools). Rule: never log request bodies, OTPs, tokens, mobile
 * numbers or ID numbers; log ids, codes, routes and timings. The correlation id is appended
 * per request by functions/platform/http/dispatch.ts.
 */
export const logger = new Logger({
  serviceName: config.powertools().serviceName,
  logLevel: config.powertools().logLevel as 'INFO',
});
