/**
 * The CDK app: `npx cdk synth -c stage=prod -c alarmEmail=oncall@example.org`.
 * One stack per stage; cdk-nag AwsSolutions runs as a policy validation plugin, so synth fails
 * on any finding that is not fixed or acknowledged with a reason (lib/nag.ts).
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
