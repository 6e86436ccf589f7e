import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStack } from './app';

/** CloudFormation's resource quota per stack (nested stacks count alone). */
const CFN_MAX_RESOURCES = 500;
/** Headroom for the routes the next issues add: no stack above 60 % of the quota today. */
const MAX_SHARE = 0.6;

describe('stack size', () => {
  it.each(['dev', 'prod'])("keeps every stack of stage %s at or below 60%% of CloudFormation's 500 resources", (stage) => {
    const { stack } = buildStack({ stage }, { bundle: false });
    const stacks = [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
    const sizes = stacks.map((s) => ({ stack: s.node.path, resources: Object.keys(Template.fromStack(s as Stack).toJSON().Resources ?? {}).length }));
    expect(stacks.length).toBeGreaterThan(1);
    const over = sizes.filter((s) => s.resources > CFN_MAX_RESOURCES * MAX_SHARE);
    expect(over).toEqual([]);
    // The split must hold what it splits: every route's method exists somewhere.
    const methods = stacks.flatMap((s) => Object.values(Template.fromStack(s as Stack).findResources('AWS::ApiGateway::Method')));
    expect(methods.length).toBeGreaterThan(0);
    // Report the sizes (one line per stage) so a reviewer sees the headroom.
    process.stdout.write(`stack sizes ${stage}: ${sizes.map((s) => `${s.stack.split('/').pop()}=${s.resources}`).join(' ')}\n`);
  });
});
