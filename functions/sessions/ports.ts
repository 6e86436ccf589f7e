import type { ShardSeats } from './domain/capacity';
import type { Center, DistrictInfo } from './domain/centre';
import type { Session, ShardDelta } from './domain/session';

/** Session items of a query, in key order (date, centre, session). */
export interface SessionRange {
  fromIso: string;
  toIso: string;
}

/**
 * The port of the centres/sessions context (docs/data-model.md "Centres and sessions").
 * Implemented by DynamoSessionStore; unit tests use fakes.
 */
export interface SessionStore {
  /** Reserves `count` consecutive new centre ids from the atomic counter. */
  nextCenterIds(count: number): Promise<number[]>;
  district(districtId: number): Promise<DistrictInfo | undefined>;
  districts(ids: number[]): Promise<Map<number, DistrictInfo>>;

  getCenter(centerId: number, consistent?: boolean): Promise<Center | undefined>;
  getCenters(ids: number[]): Promise<Map<number, Center>>;
  /** Writes a new centre; false when the id (or its center_ref) already exists. */
  createCenter(center: Center): Promise<boolean>;
  /** Replaces a centre, only if its stored `version` is still `expectedVersion` (lost-update guard). */
  replaceCenter(center: Center, expectedVersion: number): Promise<'ok' | 'conflict'>;
  /** Centre ids of import references (item `CENTERREF#<ref>`). */
  centerIdsByRef(refs: string[]): Promise<Map<string, number>>;
  centersInCells(cells: string[]): Promise<Center[]>;

  getSession(sessionId: string, consistent?: boolean): Promise<Session | undefined>;
  getSessions(ids: string[]): Promise<Map<string, Session>>;
  /** Session item + its shard items, one transaction; false when the session id exists already. */
  createSession(session: Session, shards: ShardSeats[]): Promise<boolean>;
  /**
   * Replaces the session item (only if its `version` is still `expectedVersion`) and applies shard
   * deltas in the same transaction; negative deltas only if the shard still has those seats.
   * 'conflict' when a condition failed (someone booked or edited meanwhile: re-read and retry).
   */
  updateSession(session: Session, expectedVersion: number, deltas: ShardDelta[]): Promise<'ok' | 'conflict'>;
  /** Live seats per shard: a strongly consistent BatchGet of `CAP#<sid>#0..shards-1`. */
  readShards(sessionId: string, shards: number): Promise<ShardSeats[]>;
  /** Shards of many sessions at once (availability), eventually consistent. */
  readShardsOf(sessions: Array<Pick<Session, 'session_id' | 'shards'>>): Promise<Map<string, ShardSeats[]>>;

  sessionsByDistrict(districtId: number, range: SessionRange): Promise<Session[]>;
  sessionsByPincode(pincode: number, range: SessionRange): Promise<Session[]>;
  sessionsByCenter(centerId: number, range: SessionRange): Promise<Session[]>;
}

/**
 * Opens the fair release of a session being imported (functions/booking/release-service.ts
 * openRelease behind it; the handler builds it, so this context does not import booking).
 * Idempotent: a session that has a release already keeps it, and its times are returned.
 */
export interface ReleaseOpener {
  open(sessionId: string, opensAt: string, windowSeconds: number): Promise<{ opensAt: string; windowSeconds: number }>;
}
