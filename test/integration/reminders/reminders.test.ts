/** Dose reminders: one SMS when dose 2 or the precaution dose falls due, with an opt-out (issue #14, item 7). */
import { smsSender } from '../../../functions/platform/aws/sms';
import { streamPoller } from '../../../dev/local/stack';
import { runReminders } from '../../../functions/reminders/service';
import { reminderStore } from '../../../functions/reminders/handler';
import { aadhaar } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { createCenter, staffToken } from '../vaccination/support';

let stack: TestStack;
let centerId: number;
let vaccinator: string;
beforeAll(async () => {
  stack = await startTestStack({ REMINDERS_INTERVAL_MS: '0' });
  centerId = await createCenter(9, 141);
  vaccinator = await staffToken('vaccinator', { centers: [centerId] });
});
afterAll(() => stack.stop());

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
const reminders = (mobile: string) => stack.sms(mobile).filter((t) => / is due from /.test(t));

async function vaccinatedPerson(doses: Array<{ vaccine: string; daysAgo: number }>) {
  const mobile = uniqueMobile();
  const token = await stack.signIn(mobile);
  const photo = aadhaar();
  const reg = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
    token,
    body: { name: 'Farida Khan', birth_year: 1970, gender_id: 2, photo_id_type: 1, photo_id_number: photo, comorbidity_ind: 'N', consent_version: 'V1' },
  });
  const ben = reg.body.beneficiary_reference_id as string;
  for (const [i, d] of doses.entries()) {
    const r = await stack.call('POST', '/api/v2/vaccinator/beneficiaries/vaccinate', {
      token: vaccinator,
      body: {
        beneficiary_reference_id: ben,
        center_id: centerId,
        vaccine: d.vaccine,
        vaccine_batch: 'B1',
        dose: i + 1,
        vaccinator_name: 'Sister Mary',
        given_at: daysAgo(d.daysAgo),
        photo_id_number: photo,
      },
    });
    expect(r.status).toBe(200);
  }
  await streamPoller!.drained();
  return { mobile, token, ben };
}
const run = (now = new Date()) => runReminders(reminderStore(), smsSender(), now, 7);

describe('dose reminders', () => {
  it('texts once when dose 2 falls due (COVISHIELD: 84 days), and never twice under 6 concurrent runs', async () => {
    const p = await vaccinatedPerson([{ vaccine: 'COVISHIELD', daysAgo: 86 }]);
    await Promise.all(Array.from({ length: 6 }, () => run()));
    await run();
    expect(reminders(p.mobile)).toEqual([expect.stringMatching(/^Dose 2 for Farida is due from \d{2}-\d{2}-\d{4}\./)]);
  });

  it('waits until the dose is due, and says nothing once it is taken', async () => {
    const p = await vaccinatedPerson([{ vaccine: 'COVAXIN', daysAgo: 10 }]);
    await run();
    expect(reminders(p.mobile)).toHaveLength(0);
    // 18 days later (28 days after dose 1) it falls due.
    await run(new Date(Date.now() + 18 * 86_400_000));
    expect(reminders(p.mobile)).toHaveLength(1);
    const done = await vaccinatedPerson([
      { vaccine: 'COVAXIN', daysAgo: 60 },
      { vaccine: 'COVAXIN', daysAgo: 1 },
    ]);
    await run();
    expect(reminders(done.mobile)).toHaveLength(0); // dose 2 taken; the precaution dose is 273 days away
  });

  it('reminds of the precaution dose after the series', async () => {
    const p = await vaccinatedPerson([
      { vaccine: 'COVAXIN', daysAgo: 310 },
      { vaccine: 'COVAXIN', daysAgo: 278 },
    ]);
    await run();
    expect(reminders(p.mobile)).toEqual([expect.stringMatching(/^The precaution dose for Farida is due from /)]);
  });

  it('honours the opt-out (through the API), and only for the account that owns the person', async () => {
    const p = await vaccinatedPerson([{ vaccine: 'COVISHIELD', daysAgo: 90 }]);
    const other = await stack.signIn(uniqueMobile());
    expect(
      (await stack.call('POST', '/api/v2/registration/beneficiary/reminders', { token: other, body: { beneficiary_reference_id: p.ben, reminders: 'off' } }))
        .status,
    ).toBe(404);
    expect(
      (await stack.call('POST', '/api/v2/registration/beneficiary/reminders', { token: p.token, body: { beneficiary_reference_id: p.ben, reminders: 'off' } }))
        .status,
    ).toBe(204);
    await run();
    expect(reminders(p.mobile)).toHaveLength(0);
    expect(
      (await stack.call('POST', '/api/v2/registration/beneficiary/reminders', { token: p.token, body: { beneficiary_reference_id: p.ben, reminders: 'on' } }))
        .status,
    ).toBe(204);
    await run();
    expect(reminders(p.mobile)).toHaveLength(1);
    expect(
      (
        await stack.call('POST', '/api/v2/registration/beneficiary/reminders', {
          token: p.token,
          body: { beneficiary_reference_id: p.ben, reminders: 'maybe' },
        })
      ).status,
    ).toBe(400);
  });
});
