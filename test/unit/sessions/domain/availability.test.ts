import { calendarCenters, flatSessions, type LiveSession } from '../../../../functions/sessions/domain/availability';
import type { Center } from '../../../../functions/sessions/domain/centre';
import type { Session } from '../../../../functions/sessions/domain/session';

const center: Center = {
  center_id: 1401,
  name: 'District Hospital',
  address: 'Road 1',
  state_id: 9,
  state_name: 'Delhi',
  state_name_l: 'दिल्ली',
  district_id: 140,
  district_name: 'New Delhi',
  block_name: 'HQ',
  pincode: 110001,
  lat: 28.63,
  long: 77.21,
  from: '09:00:00',
  to: '17:00:00',
  fee_type: 'Paid',
  vaccine_fees: [{ vaccine: 'COVISHIELD', fee: '780' }],
  active: true,
  created_at: '',
  updated_at: '',
  version: 1,
};
const session = (id: string, date: string, extra: Partial<Session> = {}): Session => ({
  session_id: id,
  center_id: 1401,
  district_id: 140,
  pincode: 110001,
  date,
  vaccine: 'COVISHIELD',
  min_age_limit: 18,
  allow_all_age: false,
  slots: ['09:00AM-11:00AM'],
  capacity1: 10,
  capacity2: 10,
  shards: 1,
  status: 'open',
  created_at: '',
  updated_at: '',
  version: 1,
  ...extra,
});
const live = (s: Session, dose1: number, dose2: number): LiveSession => ({ session: s, center, dose1, dose2 });

describe('availability shapes', () => {
  it('flattens centre + session + fee for findBy*, with CoWIN types, and drops full sessions', () => {
    const [flat, ...rest] = flatSessions([live(session('a', '2021-06-05', { max_age_limit: 44 }), 3, 2), live(session('b', '2021-06-05'), 0, 0)]);
    expect(rest).toEqual([]);
    expect(flat).toEqual({
      center_id: 1401,
      name: 'District Hospital',
      address: 'Road 1',
      state_name: 'Delhi',
      district_name: 'New Delhi',
      block_name: 'HQ',
      pincode: 110001,
      lat: 28.63,
      long: 77.21,
      from: '09:00:00',
      to: '17:00:00',
      fee_type: 'Paid',
      fee: '780',
      session_id: 'a',
      date: '05-06-2021',
      available_capacity: 5,
      available_capacity_dose1: 3,
      available_capacity_dose2: 2,
      min_age_limit: 18,
      max_age_limit: 44,
      allow_all_age: false,
      vaccine: 'COVISHIELD',
      slots: ['09:00AM-11:00AM'],
    });
  });

  it('groups calendar sessions under their centre, full ones included, Hindi names on request', () => {
    const [c] = calendarCenters([live(session('a', '2021-06-05'), 0, 0), live(session('b', '2021-06-06'), 1, 0)], true);
    expect(c).toMatchObject({ center_id: 1401, state_name_l: 'दिल्ली', vaccine_fees: [{ vaccine: 'COVISHIELD', fee: '780' }] });
    if (!c) throw new Error('one centre');
    expect(c.sessions.map((s) => [s.session_id, s.available_capacity])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(c.sessions[0]).not.toHaveProperty('max_age_limit');
  });
});
