import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on a construct and everything under it (cdk-nag v3 reads
 * CDK's acknowledged-rules metadata up the construct tree). One call per finding id, each with
 * the real reason it does not apply here; grep this helper to audit every exception.
 */
export function acknowledge(scope: IConstruct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}

/** The CloudFormation logical id of a construct's resource, as cdk-nag names it in a finding (`<LogicalId.Arn>`). */
export function logicalIdOf(c: IConstruct): string {
  const cfn = c.node.defaultChild as unknown as { stack: { getLogicalId(e: unknown): string } };
  return cfn.stack.getLogicalId(cfn);
}
