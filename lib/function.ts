import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { bundlingDefaults, copyNodeModulesCommand, LAMBDA_NODE_MAJOR } from './bundling';

const PROJECT_ROOT = resolve(__dirname, '..');
import { acknowledge } from './nag';

export { bundlingDefaults, esbuildOptions } from './bundling';

/** The Lambda runtime of every function, from the one constant LAMBDA_NODE_MAJOR (lib/bundling.ts). */
export const LAMBDA_RUNTIME: lambda.Runtime = { 22: lambda.Runtime.NODEJS_22_X, 24: lambda.Runtime.NODEJS_24_X }[LAMBDA_NODE_MAJOR];

/** Defaults of the house function; functions/routes.ts documents the same for groups. */
export const FUNCTION_DEFAULTS = {
  memoryMb: 512,
  timeoutSeconds: 10,
  logRetention: logs.RetentionDays.ONE_MONTH,
} as const;

export interface HouseFunctionProps {
  /** Entry module relative to the project root, exporting `handler`. */
  entry: string;
  /** Deployment stage (dev, prod...): goes into STAGE and the metrics namespace. */
  stage: string;
  /** Powertools service name (logs, traces, metric dimension). */
  serviceName: string;
  /** Memory in MB. Default 512. */
  memoryMb?: number;
  /** Timeout in seconds. Default 10 (API Gateway gives up at 29 s). */
  timeoutSeconds?: number;
  /** Extra environment variables. Default none. */
  environment?: Record<string, string>;
  /** Packages installed beside the bundle instead of bundled; the only externals. Default none. */
  nodeModules?: readonly string[];
  /** Log retention of the function's log group. Default one month (RetentionDays.ONE_MONTH). */
  logRetention?: logs.RetentionDays;
  /** What happens to the log group when the function is removed. Default RETAIN. */
  logRemovalPolicy?: RemovalPolicy;
  /** Key encrypting the log group. Default none (CloudWatch Logs' own encryption). */
  logKey?: kms.IKey;
  /** Reserved concurrency. Default none (the account's unreserved pool). */
  reservedConcurrency?: number;
  /** Short description shown in the console. Default the entry path. */
  description?: string;
}

/**
 * The house Lambda function: Node.js (LAMBDA_RUNTIME) on ARM64 (Graviton: cheaper per GB-s, faster
 * cold start), bundled by esbuild with the AWS SDK inside (see lib/bundling.ts), an explicit
 * log group with retention, X-Ray active tracing, Powertools environment, and its own role
 * that can write only to its own log group (no AWSLambdaBasicExecutionRole wildcard).
 */
export class HouseFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? FUNCTION_DEFAULTS.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.entry}`,
    });
    // Only its own log group: the function creates streams and writes events there.
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));

    const nodeModules = [...(props.nodeModules ?? [])];
    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description ?? props.entry,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? FUNCTION_DEFAULTS.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        STAGE: props.stage,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: `OpenCowin/${props.stage}`,
        ...props.environment,
      },
      bundling: {
        target: bundlingDefaults.target,
        format: bundlingDefaults.format === 'cjs' ? OutputFormat.CJS : OutputFormat.ESM,
        mainFields: [...bundlingDefaults.mainFields],
        minify: bundlingDefaults.minify,
        sourceMap: bundlingDefaults.sourceMap,
        sourcesContent: bundlingDefaults.sourcesContent,
        // esbuild's warnings and errors, not its "Done in …" line per function.
        logLevel: LogLevel.WARNING,
        // Packages that cannot be bundled (pdfkit reads data files at run time) stay external and
        // are copied with their dependency closure from the project's node_modules, as locked by
        // package-lock.json: no `npm install` during synth, so synth works offline.
        externalModules: [...bundlingDefaults.externalModules, ...nodeModules],
        esbuildArgs: {
          '--legal-comments': bundlingDefaults.legalComments,
          ...Object.fromEntries(Object.entries(bundlingDefaults.alias).map(([from, to]) => [`--alias:${from}`, resolve(PROJECT_ROOT, to)])),
        },
        commandHooks: nodeModules.length
          ? {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (inputDir: string, outputDir: string) => [copyNodeModulesCommand(inputDir, outputDir, nodeModules)],
            }
          : undefined,
        forceDockerBundling: false,
      },
    });
    acknowledge(this.fn, {
      'AwsSolutions-L1': `Pinned to ${LAMBDA_RUNTIME.name} on purpose (LAMBDA_NODE_MAJOR in lib/bundling.ts): the bundles target node${LAMBDA_NODE_MAJOR} and are tested on it; moving to a newer runtime is a deliberate, tested change, not an automatic one.`,
    });
  }
}
