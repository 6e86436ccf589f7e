import { tableName } from '../config';
import { deps } from '../deps';
import { DynamoBeneficiaryStore } from './dynamo-store';

/** The beneficiary store on the main table (shared by the citizen and vaccinator functions). */
export const beneficiaryStore = () => new DynamoBeneficiaryStore(deps().db, tableName('main'));
