import * as z from 'zod';
import { dispatcher } from '../platform/http/dispatch';
import { http, noContent, ok, requireCitizen } from '../platform/http/http';
import { bookingPorts } from './wiring';
import { cancel, reschedule, schedule } from './service';
import { verifyCaptchaForBooking } from '../captcha/service';
import { captchaPorts } from '../captcha/wiring';
import { authenticate } from '../auth/authenticate';

const ReferenceId = z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary ids are 14 digits');
const Uuid = (field: string) => z.uuid(`USRRES0002: ${field} must be a UUID`);
const Slot = z.string().min(1).max(40);

const ScheduleBody = z.object({
  dose: z
    .union([z.number(), z.string().regex(/^\d$/).transform(Number)])
    .pipe(z.number().int().min(1, 'USRRES0002: dose must be 1 to 4').max(4, 'USRRES0002: dose must be 1 to 4')),
  session_id: Uuid('session_id'),
  slot: Slot,
  beneficiaries: z.array(ReferenceId).min(1, 'USRRES0001: Input parameter missing: beneficiaries').max(6, 'APPOIN0043: At most 6 beneficiaries per booking'),
  center_id: z.coerce.number().int().positive().optional(),
  captcha: z.string().max(64).optional(),
});

/** Idempotency-Key: any client token (letters, digits, -_:.) up to 128 characters. */
const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'USRRES0002: Idempotency-Key must be 1-128 letters, digits or . _ : -');

export const handler = dispatcher(
  'booking',
  {
    schedule: http({ body: ScheduleBody }, async ({ body, caller, headers }) => {
      const citizen = requireCitizen(caller);
      const key = headers['idempotency-key'] === undefined ? undefined : IdempotencyKey.parse(headers['idempotency-key']);
      await verifyCaptchaForBooking(captchaPorts(), citizen.jti, body.captcha);
      const id = await schedule(await bookingPorts({ notify: true }), {
        accountId: citizen.accountId,
        dose: body.dose,
        sessionId: body.session_id,
        slot: body.slot,
        beneficiaryIds: [...new Set(body.beneficiaries)],
        centerId: body.center_id,
        idempotencyKey: key,
        mobile: citizen.mobile,
      });
      // A session in its fair-release window: the request is an entry in the draw, not a booking (yet).
      if (typeof id !== 'string')
        return {
          statusCode: 202,
          body: { entry_id: id.entryId, message: 'Entered in the draw for this session; the result comes by SMS when the window closes.' },
        };
      return ok({ appointment_confirmation_no: id });
    }),
    reschedule: http({ body: z.object({ appointment_id: Uuid('appointment_id'), session_id: Uuid('session_id'), slot: Slot }) }, async ({ body, caller }) => {
      const citizen = requireCitizen(caller);
      await reschedule(await bookingPorts(), citizen.accountId, body.appointment_id, body.session_id, body.slot);
      return noContent();
    }),
    cancel: http(
      { body: z.object({ appointment_id: Uuid('appointment_id'), beneficiariesToCancel: z.array(ReferenceId).min(1).max(6) }) },
      async ({ body, caller }) => {
        const citizen = requireCitizen(caller);
        await cancel(await bookingPorts(), citizen.accountId, body.appointment_id, body.beneficiariesToCancel);
        return noContent();
      },
    ),
  },
  { authenticate },
);
