import { randomInt } from 'node:crypto';

/** The appointment's 4-digit booking code (printed on the slip, sent by SMS, asked at vaccination). */
export const newBookingCode = (): string => String(randomInt(0, 10_000)).padStart(4, '0');
