import * as z from 'zod';
import { dispatcher } from '../platform/http/dispatch';
import { http, pdf, requireCitizen } from '../platform/http/http';
import { isoToCowinDate } from '../beneficiaries/domain/beneficiary';
import { maskLast4 } from '../beneficiaries/domain/photo-id';
import { bookingPorts } from '../booking/wiring';
import { BookCodes } from '../booking/domain/booking';
import { DomainError } from '../platform/errors';
import { renderSlip } from './slip';
import { authenticate } from '../auth/authenticate';

export const handler = dispatcher(
  'documents',
  {
    appointmentSlip: http({ query: z.object({ appointment_id: z.uuid('USRRES0002: appointment_id must be a UUID') }) }, async ({ query, caller }) => {
      const citizen = requireCitizen(caller);
      const p = await bookingPorts();
      const appt = await p.bookings.getAppointment(query.appointment_id);
      // Another account's appointment is answered exactly like a missing one.
      if (!appt || appt.accountId !== citizen.accountId) throw new DomainError(BookCodes.appointmentNotFound, 'Appointment not found', 'not_found');
      const [session, bens] = await Promise.all([p.bookings.getSession(appt.sessionId), p.beneficiaries.getMany(Object.keys(appt.seats))]);
      const bytes = await renderSlip({
        appointmentId: appt.appointmentId,
        date: isoToCowinDate(appt.date),
        slot: appt.slot,
        dose: appt.dose,
        code: appt.code,
        vaccine: session?.vaccine,
        center: appt.center,
        beneficiaries: bens.map((b) => ({ name: b.name, referenceId: b.beneficiaryId, birthYear: b.birthYear, photoId: maskLast4(b.photoIdLast4) })),
      });
      return pdf(bytes, `appointment-${appt.appointmentId}.pdf`);
    }),
  },
  { authenticate },
);
