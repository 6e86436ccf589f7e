/**
 * The scheduled draw (lib/draws.ts: EventBridge Scheduler every minute in AWS; a timer in
 * dev/local/stack.ts): runs every fair-release draw whose window has closed or closes within the
 * next minute (release-service.ts runDueDraws). Overlapping runs are safe: each draw is
 * idempotent, and a lease per draw makes overlapping runs split the work instead of repeating it.
 */
import type { Context } from 'aws-lambda';
import { config } from '../platform/config';
import { lambdaHandler } from '../platform/lambda';
import { logger } from '../platform/logger';
import { runDueDraws, type SweepRun } from './release-service';
import { drawPorts } from './wiring';

const num = (v: string | undefined, fallback: number) => (v && Number(v) > 0 ? Number(v) : fallback);

/** The scheduler sends no input (`{}`); the local timer passes its own interval as the look-ahead. */
export interface SweepEvent {
  lookAheadMs?: number;
}

/** One sweep; the Lambda wrapper (platform/lambda.ts) gives it the tracer, the logger's context and metrics like every entry point. */
export const handler = lambdaHandler(async (event: SweepEvent | null | undefined, context: Context): Promise<SweepRun> => {
  const ports = drawPorts();
  const lookAheadMs = event?.lookAheadMs ?? num(config.draws().lookAheadMs, 60_000);
  const run = await runDueDraws(
    { ...ports, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    {
      owner: context.awsRequestId,
      // A crashed run's leases lapse when its invocation could no longer be running.
      deadlineMs: ports.now().getTime() + context.getRemainingTimeInMillis(),
      lookAheadMs,
      parallel: num(config.draws().parallel, 8),
      catchUpMs: num(config.draws().catchUpHours, 48) * 3_600_000,
    },
  );
  if (run.due) logger.info('scheduled draws', { ...run });
  // Failed draws stay on the to-do list for the next minute's run; the error makes the alarm count it.
  if (run.failed.length) throw new Error(`scheduled draws failed for ${run.failed.length} session(s): ${run.failed.join(', ')}`);
  return run;
});
