/**
 * How every Lambda function is bundled: one definition used by the house construct
 * (lib/function.ts → NodejsFunction) and by the bench (bench/bundles.ts → esbuild directly),
 * so the sizes and cold starts the bench reports are those of what gets deployed.
 * No aws-cdk-lib import here: the bench loads this without the CDK.
 */
import type { BuildOptions } from 'esbuild';
import { certificateFontFiles } from '../functions/certificates/domain/font-files';

/**
 * The one Node.js major the Lambda functions run (lib/function.ts LAMBDA_RUNTIME) and the
 * bundles target. Change it here only; aws-cdk-lib 2.276 offers nodejs22.x and nodejs24.x.
 */
export const LAMBDA_NODE_MAJOR = 22 as 22 | 24;

export const bundlingDefaults = {
  /** Lambda runs nodejs<LAMBDA_NODE_MAJOR>.x. */
  target: `node${LAMBDA_NODE_MAJOR}`,
  platform: 'node',
  /**
   * CommonJS output: the bundle is one `index.js` the runtime `require`s; ESM-only dependencies
   * (middy, jose) are converted by esbuild. No top-level await in handlers.
   */
  format: 'cjs',
  /** Prefer packages' ESM builds: lets esbuild tree-shake the AWS SDK v3. */
  mainFields: ['module', 'main'],
  minify: true,
  /** External `.js.map` beside the bundle (not counted in the bundle size), without sources. */
  sourceMap: true,
  sourcesContent: false,
  /**
   * Nothing is external by default: the AWS SDK is bundled (pinned versions, tree-shaken,
   * faster cold start than the runtime's copy). `nodeModules` of a group are the only externals.
   */
  externalModules: [] as string[],
  /** License comments stay in the packages' own files, not in the deployed bundle. */
  legalComments: 'none',
  /**
   * Lambda bundles swap the SDK's default credential chain for environment credentials only
   * (functions/platform/aws/lambda-credentials.ts): Lambda always provides them there, and the rest
   * of the chain is ~90 KB of code a function never runs.
   */
  alias: {
    '@aws-sdk/credential-provider-node': './functions/platform/aws/lambda-credentials.ts',
    /** Loaded by the SDK only for event-stream operations, which no function here calls (15 KB). */
    '@smithy/core/event-streams': './functions/platform/aws/no-event-streams.ts',
  } as Record<string, string>,
} as const;

/**
 * Packages shipped with only some of their files (besides package.json and the licence): the
 * @fontsource packages hold every subset in WOFF and WOFF2 (~23 MB for the twelve), the
 * certificates read 2 to 4 WOFF files of each (1.4 MB in all; functions/certificates/domain/font-files.ts): the certificates bundle ships 16 MB of node modules, not 23 MB before the ten languages.
 */
export const PRUNED_MODULE_FILES: Readonly<Record<string, readonly string[]>> = certificateFontFiles();

/** The afterBundling command that ships a group's `nodeModules` (copied from node_modules, no npm install), pruned by PRUNED_MODULE_FILES. */
export const copyNodeModulesCommand = (projectDir: string, outputDir: string, modules: readonly string[]): string => {
  const keep = modules.filter((m) => PRUNED_MODULE_FILES[m]).map((m) => `"--keep=${m}:${PRUNED_MODULE_FILES[m]!.join(',')}"`);
  return `node "${projectDir}/scripts/copy-node-modules.mjs" "${outputDir}" ${[...keep, ...modules.map((m) => `"${m}"`)].join(' ')}`;
};

/** Entries of functions that are not API groups (deploy-time seeder, workers). */
export const extraFunctionEntries = {
  seed: 'functions/metadata/seed-handler.ts',
} satisfies Record<string, string>;

/** The esbuild options equivalent to what NodejsFunction runs with `bundlingDefaults`. */
export function esbuildOptions(entry: string, outfile: string, external: readonly string[] = []): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: bundlingDefaults.platform,
    target: bundlingDefaults.target,
    format: bundlingDefaults.format,
    mainFields: [...bundlingDefaults.mainFields],
    minify: bundlingDefaults.minify,
    sourcemap: bundlingDefaults.sourceMap,
    sourcesContent: bundlingDefaults.sourcesContent,
    external: [...bundlingDefaults.externalModules, ...external],
    legalComments: bundlingDefaults.legalComments,
    alias: { ...bundlingDefaults.alias },
    logLevel: 'warning',
  };
}
