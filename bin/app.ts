/**
 * The CDK app: `npx cdk synth -c stage=prod -c region=ap-south-1 -c alarmEmail=oncall@example.org`.
 * One stack per stage (route families in nested stacks, lib/api.ts); cdk-nag AwsSolutions runs
 * as a policy validation plugin, so synth fails on any finding that is not fixed or
 * acknowledged with a reason (lib/nag.ts). lib/config.ts lists every context key.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from '../lib/config';
import { OpenCowinStack } from '../lib/stack';

const app = new App();
const config = readConfig(app.node);
new OpenCowinStack(app, `OpenCowin-${config.stage}`, {
  config,
  description: `Open CoWIN (${config.stage}): CoWIN v2 compatible vaccination platform`,
  tags: { project: 'open-cowin', stage: config.stage },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
