/** How failures turn into answers (functions/platform/http/dispatch.ts toErrorResult): never a stack trace, retryable ones say so. */
import { toErrorResult } from '../../../../functions/platform/http/dispatch';
import { DomainError } from '../../../../functions/platform/errors';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error('detail that must not leak'), { name, ...extra });

it('answers a dependency that timed out or failed on its side with 503 + Retry-After, not a 500', () => {
  for (const e of [
    named('TimeoutError'),
    named('InternalServerError'),
    named('ServiceUnavailable'),
    named('Whatever', { $retryable: { throttling: false } }),
    named('Error', { code: 'ECONNRESET' }),
  ]) {
    const r = toErrorResult(e, 'cid-1');
    expect(r).toEqual({ statusCode: 503, body: { errorCode: 'USRRES0503', error: expect.stringMatching(/retry/i) }, headers: { 'retry-after': '2' } });
    expect(JSON.stringify(r)).not.toContain('detail that must not leak');
  }
});

it('answers throttling with 429 and a bug with 500 quoting the correlation id only', () => {
  expect(toErrorResult(named('ThrottlingException'), 'c')).toMatchObject({ statusCode: 429, headers: { 'retry-after': '1' } });
  const bug = toErrorResult(new TypeError('x is undefined'), 'cid-42');
  expect(bug.statusCode).toBe(500);
  expect(JSON.stringify(bug.body)).toContain('cid-42');
  expect(JSON.stringify(bug.body)).not.toContain('undefined');
  expect(toErrorResult(new DomainError('APPOIN0040', 'full', 'conflict'), 'c')).toMatchObject({ statusCode: 409, body: { errorCode: 'APPOIN0040' } });
});
