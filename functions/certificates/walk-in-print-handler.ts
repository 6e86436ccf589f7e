/**
 * Staff print the certificate of a person without a phone at the centre (issue #14, item 4):
 * only records that belong to no account (an account holder downloads their own), by staff who
 * work at the centre given, and every print is written to the person's access log first.
 */
import * as z from 'zod';
import { deps } from '../platform/deps';
import { http, pdf, requireStaff } from '../platform/http/http';
import { DomainError } from '../platform/errors';
import { assertCanRecordAt } from '../vaccination/domain/access';
import { VacCodes } from '../vaccination/domain/vaccination';
import { vaccinationStore, walkInStore } from '../vaccination/wiring';
import { printable } from '../vaccination/walk-in-service';
import { certificatePdf } from './service';
import { certificatePorts } from './wiring';

const Params = z.object({ beneficiary_reference_id: z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits') });
const Query = z.object({
  center_id: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,12}$/, 'USRRES0002: center_id must be a number')
        .transform(Number),
    ])
    .pipe(z.number().int().positive()),
});

export const walkInPrintHandlers = {
  vaccinatorPrintCertificate: http({ params: Params, query: Query }, async ({ params, query, caller }) => {
    const staff = requireStaff(caller);
    const center = await vaccinationStore().getCenter(query.center_id);
    if (!center) throw new DomainError(VacCodes.centerNotFound, `Centre ${query.center_id} not found`, 'not_found');
    assertCanRecordAt(staff, center);
    const store = walkInStore();
    const record = await printable(store, params.beneficiary_reference_id);
    const { pdf: bytes } = await certificatePdf(certificatePorts(), record.accountId, record.beneficiaryId);
    await store.audit({
      beneficiaryId: record.beneficiaryId,
      action: 'certificate_printed',
      actor: staff.staffId,
      role: staff.role,
      centerId: center.centerId,
      at: deps().now().toISOString(),
    });
    return pdf(bytes, `certificate-${record.beneficiaryId}.pdf`);
  }),
};
