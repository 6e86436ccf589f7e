/**
 * The one wrapper of every Lambda entry point: the HTTP groups (through platform/http/dispatch.ts),
 * the stream consumer, the SQS workers, the scheduled jobs and the deploy-time seeder.
 *  - tracer: a subsegment per invocation, errors recorded; responses are NOT captured (they carry
 *    names and dates of birth);
 *  - logger: the Lambda context (request id, cold start) on every line;
 *  - metrics: EMF, flushed after each invocation. Off where POWERTOOLS_METRICS_DISABLED says so:
 *    the local runtime serves many requests in one process and has no CloudWatch to send to.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { metrics, metricsDisabled } from './metrics';
import { tracer } from './tracer';

export function lambdaHandler<E, R>(fn: (event: E, context: Context) => Promise<R>) {
  const handler = middy<E, R, Error, Context>(fn)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger));
  return metricsDisabled() ? handler : handler.use(logMetrics(metrics));
}
