import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStack, TEST_DLT } from './app';

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['dev', undefined],
    ['prod', undefined],
    ['dev', 'ap-south-1'],
    ['prod', 'ap-south-1'],
    ['dev', 'ap-south-2'],
    ['prod', 'ap-south-2'],
  ])('finds nothing unacknowledged in stage %s, region %s', (stage, region) => {
    // Checks run on the construct tree; function code is irrelevant, so no bundling here.
    const { app } = buildStack({ stage, region, alarmEmail: 'oncall@example.org', smsSenderId: 'COWIN', smsDlt: TEST_DLT }, { bundle: false });
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });
});
