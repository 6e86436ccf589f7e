import type { Beneficiary } from './domain/beneficiary';
import { BenCodes, birthFacts, maskMobile, newReferenceId, vaccinationStatus, isoToCowinDate, type RegisterInput } from './domain/beneficiary';
import { checkPhotoId, maskLast4 } from './domain/photo-id';
import type { BeneficiaryStore } from './ports';
import { DomainError } from '../platform/errors';
import type { GenderRef, IdTypeRef } from '../metadata/domain/reference';
import { todayIst } from '../platform/dates';
import { isMinor } from './domain/age';

export interface BeneficiaryPorts {
  store: BeneficiaryStore;
  pepper: string;
  now: Date;
  idTypes: IdTypeRef[];
  genders: GenderRef[];
  /** Members per mobile number (MAX_BENEFICIARIES_PER_ACCOUNT). */
  maxBeneficiaries: number;
}

/** Registers a beneficiary under the account. Re-sending the same registration returns the same id. */
export async function register(p: BeneficiaryPorts, accountId: string, input: RegisterInput): Promise<string> {
  const birth = birthFacts(input, p.now, todayIst(p.now));
  if (!p.genders.some((g) => g.id === input.gender_id)) throw new DomainError('USRRES0002', 'Invalid gender_id', 'invalid');
  const idType = p.idTypes.find((t) => t.id === input.photo_id_type);
  if (!idType) throw new DomainError(BenCodes.invalidPhotoId, 'Invalid photo_id_type', 'invalid');
  const photo = checkPhotoId(p.pepper, idType.code, input.photo_id_number);
  for (let attempt = 0; attempt < 5; attempt++) {
    const b: Beneficiary = {
      beneficiaryId: newReferenceId(),
      accountId,
      name: input.name,
      ...birth,
      genderId: input.gender_id,
      photoIdType: idType.id,
      photoIdCode: idType.code,
      photoIdLast4: photo.last4,
      comorbidity: input.comorbidity_ind,
      consentVersion: input.consent_version,
      createdAt: Math.floor(p.now.getTime() / 1000),
      createdAtMs: p.now.getTime(),
      dosesGiven: 0,
      doseDates: {},
    };
    try {
      const outcome = await p.store.register(b, photo.hash, p.maxBeneficiaries);
      if (outcome.ok) return outcome.beneficiaryId;
      if (outcome.reason === 'too_many') {
        throw new DomainError(BenCodes.tooMany, `A maximum of ${p.maxBeneficiaries} beneficiaries can be registered with one mobile number`, 'conflict');
      }
      if (outcome.byAccount === accountId) return outcome.beneficiaryId; // a retry of the same registration
      throw new DomainError(BenCodes.photoIdTaken, 'This photo ID is already registered for vaccination', 'conflict');
    } catch (e) {
      if (e instanceof Error && e.message === 'reference id collision') continue;
      throw e;
    }
  }
  throw new Error('could not allocate a beneficiary reference id');
}

/** CoWIN's beneficiary listing shape, with appointments. */
/** Registration time in ms; records from before createdAtMs have their second only. */
const registeredAt = (b: Beneficiary): number => b.createdAtMs ?? b.createdAt * 1000;

export async function list(p: BeneficiaryPorts, accountId: string, mobile: string) {
  const ids = await p.store.listIds(accountId);
  const bens = (await p.store.getMany(ids)).sort((a, b) => registeredAt(a) - registeredAt(b) || a.beneficiaryId.localeCompare(b.beneficiaryId));
  const withAppointments = await Promise.all(bens.map(async (b) => ({ b, appts: await p.store.openAppointments(b.beneficiaryId) })));
  return withAppointments.map(({ b, appts }) => ({
    beneficiary_reference_id: b.beneficiaryId,
    name: b.name,
    birth_year: String(b.birthYear),
    ...(b.dateOfBirth ? { date_of_birth: isoToCowinDate(b.dateOfBirth) } : {}),
    // A minor has no mobile of their own: mobile_number is the guardian's (the account), and every SMS about them goes there.
    is_minor: isMinor(b, todayIst(p.now)),
    gender: p.genders.find((g) => g.id === b.genderId)?.gender ?? '',
    mobile_number: maskMobile(mobile),
    photo_id_type: p.idTypes.find((t) => t.id === b.photoIdType)?.type ?? '',
    photo_id_number: maskLast4(b.photoIdLast4),
    comorbidity_ind: b.comorbidity,
    vaccination_status: vaccinationStatus(b),
    vaccine: b.vaccine ?? '',
    dose1_date: b.doseDates['1'] ? isoToCowinDate(b.doseDates['1']) : '',
    dose2_date: b.doseDates['2'] ? isoToCowinDate(b.doseDates['2']) : '',
    appointments: appts
      .sort((x, y) => x.dose - y.dose)
      .map((a) => ({
        appointment_id: a.appointmentId,
        center_id: a.centerId,
        name: a.center?.name ?? '',
        state_name: a.center?.state_name ?? '',
        district_name: a.center?.district_name ?? '',
        block_name: a.center?.block_name ?? '',
        from: a.center?.from ?? '',
        to: a.center?.to ?? '',
        dose: a.dose,
        session_id: a.sessionId,
        date: isoToCowinDate(a.date),
        slot: a.slot,
      })),
  }));
}
