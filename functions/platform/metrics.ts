import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * CloudWatch metrics in Embedded Metric Format (no PutMetricData calls on the hot path).
 * The local runtime sets POWERTOOLS_METRICS_DISABLED so stdout stays readable.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OpenCowin',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'open-cowin',
});

/** Same switch Powertools reads (POWERTOOLS_METRICS_DISABLED wins over POWERTOOLS_DEV). */
export function metricsDisabled(): boolean {
  const flag = process.env.POWERTOOLS_METRICS_DISABLED;
  if (flag !== undefined && flag !== '') return ['1', 'true', 'y', 'yes', 'on'].includes(flag.toLowerCase());
  return ['1', 'true', 'y', 'yes', 'on'].includes((process.env.POWERTOOLS_DEV ?? '').toLowerCase());
}
