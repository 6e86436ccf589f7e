/**
 * How availability answers are read today, for the capacity model (capacity/model.ts): the
 * constants here are the ones the read path uses, so the model cannot describe another design.
 */
import type { AvailabilityPath } from '../../capacity/model';

/**
 * Session items from the district/pincode index, their centres, and every capacity shard
 * (functions/sessions/availability.ts liveSessions). Item sizes as stored (docs/data-model.md).
 */
export const availabilityPath: AvailabilityPath = { kind: 'shards', sessionItemBytes: 700, centreItemBytes: 900 };
