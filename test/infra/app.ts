/**
 * Builds the stack the way `cdk synth` does (cdk.json feature flags), once per test file:
 * synth bundles every function with esbuild, which takes seconds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DeployConfig } from '../../lib/config';
import { OpenCowinStack } from '../../lib/stack';
import { smsCatalogue } from '../../functions/platform/sms/catalogue';

/** DLT ids of the test stages (any digits: SNS checks them only on a real send). */
/** A DLT registration covering every kind of the SMS catalogue (one made-up template id per kind), so kinds added later are covered. */
export const TEST_DLT = {
  entityId: '1101000000000000001',
  templates: Object.fromEntries(Object.keys(smsCatalogue).map((kind, i) => [kind, String(1107000000000000011n + BigInt(i))])) as Record<string, string>,
};

export function buildStack(config: Partial<DeployConfig> = {}, opts: { bundle?: boolean } = {}): { app: App; stack: OpenCowinStack; template: Template } {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, ...(opts.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}) } });
  // Bundling assets prints a "Bundling asset …" line per function (aws-cdk-lib, on stderr): npm test prints summaries only.
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    /^Bundling asset /.test(String(chunk)) ? true : write(chunk, ...rest)) as typeof process.stderr.write;
  try {
    const stack = new OpenCowinStack(app, `OpenCowin-${config.stage ?? 'dev'}`, { config: { stage: 'dev', ...config } });
    return { app, stack, template: Template.fromStack(stack) };
  } finally {
    process.stderr.write = write;
  }
}
