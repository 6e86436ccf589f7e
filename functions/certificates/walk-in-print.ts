/**
 * Staff print the certificate of a person without a phone at the centre (issue #14, item 4):
 * only records that belong to no account (an account holder downloads their own), by staff who
 * work at the centre given, and every print is written to the person's access log first.
 */
import * as z from 'zod';
import { tableName } from '../config';
import { deps } from '../deps';
import { http, pdf, requireStaff } from '../http/http';
import { DomainError } from '../shared/errors';
import { assertCanRecordAt } from '../vaccination/access';
import { VacCodes } from '../vaccination/domain';
import { DynamoVaccinationStore } from '../vaccination/dynamo-store';
import { printable } from '../vaccination/walk-in';
import { DynamoWalkInStore } from '../vaccination/walk-in-store';
import { certificatePdf, certificatePorts } from './service';

const Params = z.object({ beneficiary_reference_id: z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits') });
const Query = z.object({
  center_id: z.union([z.number(), z.string().regex(/^\d{1,12}$/, 'USRRES0002: center_id must be a number').transform(Number)]).pipe(z.number().int().positive()),
});

export const walkInPrintHandlers = {
  vaccinatorPrintCertificate: http({ params: Params, query: Query }, async ({ params, query, caller }) => {
    const staff = requireStaff(caller);
    const db = deps().db;
    const center = await new DynamoVaccinationStore(db, tableName('main')).getCenter(query.center_id);
    if (!center) throw new DomainError(VacCodes.centerNotFound, `Centre ${query.center_id} not found`, 'not_found');
    assertCanRecordAt(staff, center);
    const store = new DynamoWalkInStore(db, tableName('main'));
    const record = await printable(store, params.beneficiary_reference_id);
    const { pdf: bytes } = await certificatePdf(certificatePorts(), record.accountId, record.beneficiaryId);
    await store.audit({ beneficiaryId: record.beneficiaryId, action: 'certificate_printed', actor: staff.staffId, role: staff.role, centerId: center.centerId, at: deps().now().toISOString() });
    return pdf(bytes, `certificate-${record.beneficiaryId}.pdf`);
  }),
};
