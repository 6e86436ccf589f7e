import { Tracer } from '@aws-lambda-powertools/tracer';
import { config } from './config';

/**
 * X-Ray through Powertools: a subsegment per invocation (platform/lambda.ts) and per AWS SDK call
 * of the clients it captures (the DynamoDB client, platform/dynamo/client.ts). Active tracing is
 * on for every function (lib/function.ts). Outside Lambda (the local runtime, tests) Powertools
 * turns itself off, so nothing is sent and captured clients stay plain.
 */
export const tracer = new Tracer({ serviceName: config.powertools().serviceName });
