import { DomainError } from '../platform/errors';
import { personReference } from '../metadata/domain/person-reference';
import { checkPhotoId } from './domain/photo-id';
import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { DynamoBeneficiaryStore } from './dynamo-store';
import { DynamoWalkInStore } from '../vaccination/walk-in-dynamo-store';
import type { WalkInStore } from '../vaccination/walk-in-service';
import type { BeneficiaryPorts } from './service';

/** The beneficiary store on the main table (shared by the citizen and vaccinator functions). */
export const beneficiaryStore = () => new DynamoBeneficiaryStore(deps().db, tableName('main'));

/** The keyed hash of a photo ID number (type by id from the reference data), as stored on beneficiaries. */
export async function photoIdHashOf(typeId: number, number: string): Promise<string> {
  const type = personReference.idTypes.find((t) => t.id === typeId);
  if (!type) throw new DomainError('BENREG0003', 'Invalid photo_id_type', 'invalid');
  return checkPhotoId((await deps().secrets.get()).pepper, type.code, number).hash;
}

/** The ports of the beneficiary use cases (the citizen routes and the vaccinator's walk-ins share them). */
export async function beneficiaryPorts(): Promise<BeneficiaryPorts> {
  const d = deps();
  return {
    store: beneficiaryStore(),
    pepper: (await d.secrets.get()).pepper,
    now: d.now(),
    idTypes: personReference.idTypes,
    genders: personReference.genders,
    maxBeneficiaries: config.maxBeneficiaries(),
  };
}

/**
 * Walk-ins without a phone, for attaching one to an account. Built here, not through
 * vaccination/wiring.ts: that one also builds the vaccination store, whose indexes the
 * beneficiaries function has no grant for (test/infra/iam.test.ts).
 */
export const walkInStore = (): WalkInStore => new DynamoWalkInStore(deps().db, tableName('main'));
