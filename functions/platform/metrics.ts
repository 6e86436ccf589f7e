import { Metrics } from '@aws-lambda-powertools/metrics';
import { config } from './config';

/**
 * CloudWatch metrics in Embedded Metric Format (no PutMetricData calls on the hot path).
 * The local runtime sets POWERTOOLS_METRICS_DISABLED so stdout stays readable.
 */
export const metrics = new Metrics({
  namespace: config.powertools().namespace,
  serviceName: config.powertools().serviceName,
});

/** Same switch Powertools reads (POWERTOOLS_METRICS_DISABLED wins over POWERTOOLS_DEV). */
export function metricsDisabled(): boolean {
  const { metricsDisabledFlag: flag, dev } = config.powertools();
  if (flag !== undefined && flag !== '') return ['1', 'true', 'y', 'yes', 'on'].includes(flag.toLowerCase());
  return ['1', 'true', 'y', 'yes', 'on'].includes(dev.toLowerCase());
}
