import { clearAvailabilityMemo, readModelCalendar, readModelFind } from '../../../functions/sessions/availability-read';
import type { AvailabilityStore } from '../../../functions/sessions/availability-dynamo-store';
import { emptyModel, encodeModel, sessionEntry, weekOf, type ReadModel } from '../../../functions/sessions/domain/availability-model';
import { weekRange } from '../../../functions/sessions/domain/availability';
import type { Center } from '../../../functions/sessions/domain/centre';
import type { Session } from '../../../functions/sessions/domain/session';

const monday = weekOf('2026-12-07');
const centre = { center_id: 7, name: 'C7', active: true, district_id: 140, pincode: 110001, fee_type: 'Free', vaccine_fees: [] } as unknown as Center;
const session = (id: string, seats: number): ReturnType<typeof sessionEntry> =>
  sessionEntry(
    {
      session_id: id,
      center_id: 7,
      district_id: 140,
      pincode: 110001,
      date: monday,
      vaccine: 'COVISHIELD',
      min_age_limit: 18,
      allow_all_age: false,
      slots: ['09:00AM-11:00AM'],
      status: 'open',
    } as unknown as Session,
    { dose1: seats, dose2: 0 },
    1,
  );

/** A read-model store whose one item can change version, counting its reads. */
function store() {
  let v = 1;
  let model: ReadModel = { ...emptyModel(), sessions: { a: session('a', 10) }, centres: { '7': { centre, t: 1 } } };
  const s = {
    reads: 0,
    book(seats: number) {
      model = { ...model, sessions: { a: session('a', seats) } };
      v += 1;
    },
    readRaw: async (pks: string[]) => {
      s.reads += 1;
      return pks.map((pk) => ({ pk, v, z: encodeModel(model) }));
    },
  };
  return s;
}

describe('rendered availability answers (per item version)', () => {
  beforeEach(() => clearAvailabilityMemo());
  const scope = { kind: 'district' as const, districtId: 140 };

  it('reads the item on every call but renders a version once, and a new version is answered at once', async () => {
    const s = store();
    const db = s as unknown as AvailabilityStore;
    const first = await readModelCalendar(scope, weekRange(monday), undefined, false, db);
    clearAvailabilityMemo();
    const second = await readModelCalendar(scope, weekRange(monday), undefined, false, db);
    expect(s.reads).toBe(2);
    expect(second).toBe(first); // the same version: the same rendered answer
    expect(first[0]!.sessions[0]!.available_capacity).toBe(10);

    s.book(9);
    clearAvailabilityMemo();
    const after = await readModelCalendar(scope, weekRange(monday), undefined, false, db);
    expect(after).not.toBe(first);
    expect(after[0]!.sessions[0]!.available_capacity).toBe(9);
  });

  it('keeps views, languages and filters apart', async () => {
    const s = store();
    const db = s as unknown as AvailabilityStore;
    const calendar = await readModelCalendar(scope, weekRange(monday), undefined, false, db);
    const other = await readModelCalendar(scope, weekRange(monday), 'COVAXIN', false, db);
    const find = await readModelFind(scope, { fromIso: monday, toIso: monday }, undefined, true, db);
    expect(calendar).toHaveLength(1);
    expect(other).toEqual([]);
    expect(find).toMatchObject([{ session_id: 'a', available_capacity: 10 }]);
  });
});
