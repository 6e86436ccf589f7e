/** HTTP side of session moves and cancellations (functions/booking/session-move-service.ts; docs/inclusion.md). */
import * as z from 'zod';
import { smsSender } from '../platform/aws/sms';
import { toE164 } from '../auth/domain';
import { tableName, config } from '../platform/config';
import { deps } from '../platform/deps';
import { http, requireStaff } from '../platform/http/http';
import { isoToApiDate } from '../platform/dates';
import { logger } from '../platform/logger';
import { renderSms } from '../platform/sms/catalogue';
import { accountContact } from '../auth/account-language';
import { VaccineField } from '../sessions/domain/centre';
import { moveSession, type MovePorts } from './session-move-service';
import { dynamoMovePorts } from './session-move-dynamo-store';
import { beneficiariesOf } from './wiring';
import { ApiDate, isValidSlot } from '../sessions/domain/session';

const SessionParam = z.object({ session_id: z.uuid('USRRES0002: session_id must be a UUID') });
const Reason = z.string().trim().min(1, 'USRRES0001: Input parameter missing: reason').max(300, 'USRRES0002: reason is longer than 300 characters');
const MoveId = z.uuid('USRRES0002: move_id must be a UUID').optional();

const MoveBody = z
  .object({
    date: ApiDate.optional(),
    slots: z.array(z.string().refine(isValidSlot, 'USRRES0002: slots look like 09:00AM-11:00AM')).min(1).max(24).optional(),
    vaccine: VaccineField.optional(),
    reason: Reason,
    move_id: MoveId,
  })
  .refine((b) => b.date || b.slots || b.vaccine, 'USRRES0001: say what moves: date, slots or vaccine');
const CancelBody = z.object({ reason: Reason, move_id: MoveId });

const settleMs = config.sessionMoveSettleMs;

/** One SMS per booking: where it moved, or that it was cancelled (to the account's mobile: a minor's guardian). */
const notify: MovePorts['notify'] = async (c, plan, s) => {
  const { mobile, language } = await accountContact(c.appointment.accountId);
  if (!mobile) return;
  const centre = s.centre.slice(0, 30);
  const message = c.keep.length
    ? renderSms('sessionMoved', { date: isoToApiDate(c.date), slot: c.slot, centre, vaccine: s.vaccine }, language)
    : renderSms('sessionCancelled', { date: isoToApiDate(c.appointment.date), centre }, language);
  try {
    await smsSender().send(toE164(mobile), message);
  } catch (e) {
    logger.warn('session change SMS not sent', { appointmentId: c.appointment.appointmentId, moveId: plan.moveId, error: (e as Error).name });
  }
};

const ports = () => dynamoMovePorts(deps().db, tableName('main'), { settleMs: settleMs(), notify, beneficiaries: beneficiariesOf });

export const moveHandlers = {
  moveSession: http({ params: SessionParam, body: MoveBody }, async ({ params, body, caller }) => ({
    statusCode: 200,
    body: await moveSession(
      ports(),
      requireStaff(caller),
      params.session_id,
      'move',
      { date: body.date, slots: body.slots, vaccine: body.vaccine },
      body.reason,
      deps().now(),
      body.move_id,
    ),
  })),
  cancelSession: http({ params: SessionParam, body: CancelBody }, async ({ params, body, caller }) => ({
    statusCode: 200,
    body: await moveSession(ports(), requireStaff(caller), params.session_id, 'cancel', {}, body.reason, deps().now(), body.move_id),
  })),
};
