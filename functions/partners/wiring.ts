/** The partners context's ports, built from the environment (the only place they are built). */
import { DynamoBeneficiaryStore } from '../beneficiaries/dynamo-store';
import { smsSender } from '../platform/aws/sms';
import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { signAssertion } from './assertion-signer';
import { partnerStore } from './dynamo-store';
import type { PartnerPorts } from './ports';

export function partnerPorts(): PartnerPorts {
  const d = deps();
  return {
    consents: partnerStore(),
    beneficiaries: new DynamoBeneficiaryStore(d.db, tableName('main')),
    sms: smsSender(),
    pepper: async () => (await d.secrets.get()).pepper,
    now: d.now,
    issuer: config.issuer(),
    signAssertion,
  };
}
