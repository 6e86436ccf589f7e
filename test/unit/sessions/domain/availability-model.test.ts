import {
  decodeModel,
  emptyModel,
  encodeModel,
  itemKeysOfSession,
  liveFromModels,
  merge,
  sessionEntry,
  weekOf,
  weeksCovering,
  type ReadModel,
} from '../../../../functions/sessions/domain/availability-model';
import type { Center } from '../../../../functions/sessions/domain/centre';
import type { Session } from '../../../../functions/sessions/domain/session';

const centre = (id: number, active = true) => ({ center_id: id, name: `C${id}`, active, district_id: 140, pincode: 110001 }) as unknown as Center;
const session = (id: string, date: string, centerId = 1, over: Partial<Session> = {}): Session =>
  ({
    session_id: id,
    center_id: centerId,
    district_id: 140,
    pincode: 110001,
    date,
    vaccine: 'COVISHIELD',
    min_age_limit: 18,
    allow_all_age: false,
    slots: ['09:00AM-11:00AM'],
    capacity1: 10,
    capacity2: 0,
    shards: 1,
    status: 'open',
    created_at: '',
    updated_at: '',
    version: 1,
    ...over,
  }) as Session;

describe('availability read model (pure)', () => {
  it('buckets dates in fixed Monday weeks: a day is one item, a 7-day calendar at most two', () => {
    expect(weekOf('2026-12-07')).toBe('2026-12-07'); // a Monday
    expect(weekOf('2026-12-13')).toBe('2026-12-07');
    expect(weekOf('2026-12-14')).toBe('2026-12-14');
    expect(weeksCovering({ fromIso: '2026-12-07', toIso: '2026-12-13' })).toEqual(['2026-12-07']);
    expect(weeksCovering({ fromIso: '2026-12-10', toIso: '2026-12-16' })).toEqual(['2026-12-07', '2026-12-14']);
    expect(weeksCovering({ fromIso: '2026-12-10', toIso: '2026-12-10' })).toEqual(['2026-12-07']);
  });

  it('lists a session under its district, pincode and centre', () => {
    expect(itemKeysOfSession(session('s', '2026-12-10', 7))).toEqual(['AVAIL#D140#2026-12-07', 'AVAIL#P110001#2026-12-07', 'AVAIL#C7#2026-12-07']);
  });

  it('keeps the newest truth whatever order merges arrive in, and says when nothing changed', () => {
    const m = emptyModel();
    const newer = sessionEntry(session('s', '2026-12-10'), { dose1: 3, dose2: 0 }, 200);
    const older = sessionEntry(session('s', '2026-12-10'), { dose1: 9, dose2: 0 }, 100);
    expect(merge(m, { sessions: { s: newer }, centres: { 1: { centre: centre(1), t: 200 } } })).toBe(true);
    expect(merge(m, { sessions: { s: older } })).toBe(false);
    expect(merge(m, { sessions: { s: newer } })).toBe(false);
    expect(m.sessions.s?.d1).toBe(3);
  });

  it('answers open sessions of active centres in the range, in key order, and survives encoding', () => {
    const m: ReadModel = emptyModel();
    merge(m, {
      sessions: {
        b: sessionEntry(session('b', '2026-12-11', 2), { dose1: 1, dose2: 0 }, 1),
        a: sessionEntry(session('a', '2026-12-10', 1), { dose1: 5, dose2: 2 }, 1),
        closed: sessionEntry(session('closed', '2026-12-10', 1, { status: 'closed' }), { dose1: 5, dose2: 0 }, 1),
        gone: { ...sessionEntry(session('gone', '2026-12-10', 1), { dose1: 5, dose2: 0 }, 1), gone: true },
        shut: sessionEntry(session('shut', '2026-12-10', 3), { dose1: 5, dose2: 0 }, 1),
        late: sessionEntry(session('late', '2026-12-20', 1), { dose1: 5, dose2: 0 }, 1),
      },
      centres: { 1: { centre: centre(1), t: 1 }, 2: { centre: centre(2), t: 1 }, 3: { centre: centre(3, false), t: 1 } },
    });
    const back = decodeModel(encodeModel(m));
    const live = liveFromModels([back], { fromIso: '2026-12-10', toIso: '2026-12-16' });
    expect(live.map((l) => [l.session.session_id, l.dose1, l.dose2])).toEqual([
      ['a', 5, 2],
      ['b', 1, 0],
    ]);
    expect(liveFromModels([back], { fromIso: '2026-12-10', toIso: '2026-12-16' }, 'COVAXIN')).toEqual([]);
  });

  it('fits a 200-centre district week in one item, compressed', () => {
    const m = emptyModel();
    for (let c = 0; c < 200; c++) {
      merge(m, {
        centres: {
          [c]: {
            centre: {
              ...centre(c),
              name: `Urban Primary Health Centre ${c}`,
              address: `Ward ${c}, Main Road, Bengaluru`,
              block_name: 'Bangalore Urban',
              state_name: 'Karnataka',
              district_name: 'BBMP',
              from: '09:00:00',
              to: '17:00:00',
              fee_type: 'Free',
              lat: 12.9,
              long: 77.5,
            } as Center,
            t: 1,
          },
        },
      });
      for (let d = 0; d < 7; d++) {
        const id = `${String(c).padStart(8, '0')}-0000-4000-8000-${String(d).padStart(12, '0')}`;
        merge(m, {
          sessions: {
            [id]: sessionEntry(
              session(id, `2026-12-${String(7 + d).padStart(2, '0')}`, c, {
                slots: ['09:00AM-11:00AM', '11:00AM-01:00PM', '01:00PM-03:00PM', '03:00PM-05:00PM'],
              }),
              { dose1: 100, dose2: 50 },
              1_764_000_000_000 + c * 7 + d,
            ),
          },
        });
      }
    }
    expect(Object.keys(m.sessions)).toHaveLength(1400);
    expect(encodeModel(m).length).toBeLessThan(400 * 1024);
  });
});
