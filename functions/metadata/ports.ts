import type { DistrictRef, GenderRef, IdTypeRef, StateRef } from './domain/reference';

export type StateRow = Omit<StateRef, 'districts'>;
export type DistrictRow = DistrictRef & { state_id: number };

/** Read port for reference data. */
export interface MetadataStore {
  states(): Promise<StateRow[]>;
  districts(stateId: number): Promise<DistrictRow[]>;
  idTypes(): Promise<IdTypeRef[]>;
  genders(): Promise<GenderRef[]>;
}
