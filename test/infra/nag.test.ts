import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStack } from './app';

describe('cdk-nag AwsSolutions', () => {
  it.each(['dev', 'prod'])('finds nothing unacknowledged in stage %s', (stage) => {
    // Checks run on the construct tree; function code is irrelevant, so no bundling here.
    const { app } = buildStack({ stage, alarmEmail: 'oncall@example.org', smsSenderId: 'COWIN' }, { bundle: false });
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });
});
