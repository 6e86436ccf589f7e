import { HINDI_ACCEPT_LANGUAGE } from '../../platform/http/web-headers';
/** Types of the reference data shipped in ./data (real states, UTs and districts of India). */
export interface DistrictRef {
  district_id: number;
  district_name: string;
  district_name_l: string;
  pincode: number;
  lat: number;
  long: number;
}
export interface StateRef {
  state_id: number;
  state_name: string;
  state_name_l: string;
  districts: DistrictRef[];
}
export interface IdTypeRef {
  id: number;
  type: string;
  type_l: string;
  code: string;
}
export interface GenderRef {
  id: number;
  gender: string;
  gender_l: string;
}

/** `Accept-Language: hi_IN` (or hi-IN, hi) asks for the Hindi `*_l` fields. */
export function wantsHindi(acceptLanguage: string | undefined): boolean {
  return HINDI_ACCEPT_LANGUAGE.test(acceptLanguage ?? '');
}
