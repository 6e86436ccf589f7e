/** Citizens turn dose reminders off (or on again) per family member. */
import * as z from 'zod';
import { http, noContent, requireCitizen } from '../platform/http/http';
import { DomainError } from '../platform/errors';
import { reminderStore } from './handler';

const Body = z.object({
  beneficiary_reference_id: z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits'),
  reminders: z.enum(['on', 'off'], 'USRRES0002: reminders must be on or off'),
});

export const reminderHandlers = {
  beneficiaryReminders: http({ body: Body }, async ({ body, caller }) => {
    const citizen = requireCitizen(caller);
    if (!(await reminderStore().setOptOut(citizen.accountId, body.beneficiary_reference_id, body.reminders === 'off'))) {
      throw new DomainError('BENREG0404', 'Beneficiary not found', 'not_found');
    }
    return noContent();
  }),
};
