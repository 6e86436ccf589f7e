import type { ZodError } from 'zod';
import { Codes } from '../errors';

/** Zod issues → CoWIN's codes. A message written as `CODE: sentence` in a schema picks its own code. */
export function zodToCowin(e: ZodError): { errorCode: string; error: string } {
  const issue = e.issues[0];
  if (!issue) throw new Error('A ZodError has at least one issue');
  const field = issue.path.map(String).join('.') || 'body';
  const custom = /^([A-Z]{6}\d{4}): (.+)$/.exec(issue.message);
  if (custom) return { errorCode: custom[1]!, error: custom[2]! }; // both groups always match
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return { errorCode: Codes.missingParameter, error: `Input parameter missing: ${field}` };
  }
  return { errorCode: Codes.invalidParameter, error: `Invalid ${field}: ${issue.message}` };
}
