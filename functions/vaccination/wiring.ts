/**
 * The vaccination context's ports, built once here: its own routes (./handler.ts) and the
 * requests context (an accepted "wrong dose date" request is a dose correction) use the same.
 */
import { ID_RULES, photoIdHash } from '../beneficiaries/domain/photo-id';
import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { DynamoVaccinationStore } from './dynamo-store';
import { DynamoWalkInStore } from './walk-in-dynamo-store';
import type { WalkInStore } from './walk-in-service';
import type { VaccinationPorts } from './service';

export const vaccinationStore = () => new DynamoVaccinationStore(deps().db, tableName('main'));

export async function vaccinationPorts(): Promise<VaccinationPorts> {
  const store = vaccinationStore();
  const pepper = (await deps().secrets.get()).pepper;
  return {
    store,
    now: () => deps().now(),
    rules: config.vaccinationRules(),
    presence: {
      reserveCodeAttempt: (id, max) => store.reserveCodeAttempt(id, max),
      photoIdHash: (code, raw) => {
        const rule = ID_RULES[code];
        const n = rule?.normalise(raw);
        return rule && n && rule.valid(n) ? photoIdHash(pepper, code, n) : undefined;
      },
      maxCodeAttempts: config.bookingCodeMaxAttempts(),
    },
  };
}

/** Walk-ins without a phone (the beneficiaries and certificates contexts reach them too). */
export const walkInStore = (): WalkInStore => new DynamoWalkInStore(deps().db, tableName('main'));
