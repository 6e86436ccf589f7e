import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { chunk, contributionOf, countersView, merge, sumShards } from '../../../functions/statistics/domain';
import { processStream } from '../../../functions/streams/handler';
import type { StreamConsumer } from '../../../functions/platform/streams';

const event = {
  pk: 'DOSEEVENT#e1',
  sk: 'EVENT',
  eventId: 'e1',
  kind: 'dose',
  givenDate: '2021-09-01',
  stateId: 9,
  districtId: 140,
  vaccine: 'COVISHIELD',
  dose: 1,
};

describe('contributionOf', () => {
  it('turns a dose event insert into +1 on five counters, keyed by the event id', () => {
    const c = contributionOf('INSERT', event, undefined)!;
    expect(c.id).toBe('DOSE#e1');
    expect(c.deltas.map((d) => `${d.pk}|${d.sk}`)).toEqual([
      'TOTAL|ALL',
      'STATES|STATE#00009',
      'STATE#9|DISTRICT#00140',
      'DAYS|DAY#2021-09-01',
      'STATE#9#DAY#2021-09-01|DISTRICT#00140',
    ]);
    expect(c.deltas[0]!.add).toEqual({ doses: 1, d1: 1, 'v#COVISHIELD': 1, 'v#COVISHIELD#d1': 1 });
  });
  it('moves a corrected dose from the old counters to the new ones (net zero where they agree)', () => {
    const c = contributionOf(
      'INSERT',
      {
        ...event,
        eventId: 'e2',
        kind: 'correction',
        vaccine: 'COVAXIN',
        supersededDims: { givenDate: '2021-09-01', stateId: 9, districtId: 140, vaccine: 'COVISHIELD', dose: 1 },
      },
      undefined,
    )!;
    const total = c.deltas.find((d) => d.pk === 'TOTAL')!;
    expect(total.add).toEqual({ 'v#COVISHIELD': -1, 'v#COVISHIELD#d1': -1, 'v#COVAXIN': 1, 'v#COVAXIN#d1': 1 });
  });
  it('takes a voided dose back from its counters and adds nothing', () => {
    const c = contributionOf(
      'INSERT',
      { ...event, eventId: 'e3', kind: 'void', supersededDims: { givenDate: '2021-09-01', stateId: 9, districtId: 140, vaccine: 'COVISHIELD', dose: 1 } },
      undefined,
    )!;
    expect(c.id).toBe('DOSE#e3');
    expect(c.deltas).toHaveLength(5);
    for (const d of c.deltas) expect(d.add).toEqual({ doses: -1, d1: -1, 'v#COVISHIELD': -1, 'v#COVISHIELD#d1': -1 });
  });
  it('counts registrations and removals, AEFIs, and ignores everything else (updates, other items)', () => {
    expect(contributionOf('INSERT', { pk: 'BEN#1', sk: 'PROFILE', beneficiaryId: '1', createdAt: 1630468800 }, undefined)!.deltas).toEqual([
      { pk: 'TOTAL', sk: 'ALL', add: { registrations: 1 } },
      { pk: 'DAYS', sk: 'DAY#2021-09-01', add: { registrations: 1 } },
    ]);
    expect(contributionOf('REMOVE', undefined, { pk: 'BEN#1', sk: 'PROFILE', beneficiaryId: '1', createdAt: 1630468800 })!.id).toBe('UNREG#1');
    expect(
      contributionOf('INSERT', { pk: 'DOSEEVENT#e1', sk: 'AEFI#a1', aefiId: 'a1', severity: 'minor', stateId: 9, districtId: 140 }, undefined)!.deltas[0]!.add,
    ).toEqual({ aefi: 1, 'aefi#minor': 1 });
    expect(contributionOf('MODIFY', { ...event, correctedBy: 'e2' }, event)).toBeUndefined();
    expect(contributionOf('MODIFY', { pk: 'BEN#1', sk: 'PROFILE' }, { pk: 'BEN#1', sk: 'PROFILE' })).toBeUndefined();
    expect(contributionOf('INSERT', { pk: 'OTP#x', sk: 'TXN' }, undefined)).toBeUndefined();
  });
});

describe('merge, chunk, read side', () => {
  it('merges deltas per counter and drops zeros', () => {
    expect(
      merge([
        { pk: 'a', sk: 'b', add: { x: 1, y: 1 } },
        { pk: 'a', sk: 'b', add: { x: -1, y: 2 } },
      ]),
    ).toEqual([{ pk: 'a', sk: 'b', add: { y: 3 } }]);
  });
  it('packs markers + distinct counters into transactions of at most 100 items', () => {
    const many = Array.from(
      { length: 300 },
      (_, i) =>
        contributionOf(
          'INSERT',
          { ...event, eventId: `e${i}`, districtId: 140 + (i % 37), givenDate: `2021-09-${String(1 + (i % 28)).padStart(2, '0')}` },
          undefined,
        )!,
    );
    const chunks = chunk(many);
    expect(chunks.flat()).toHaveLength(300);
    for (const c of chunks) expect(c.length + merge(c.flatMap((x) => x.deltas)).length).toBeLessThanOrEqual(100);
  });
  it('sums counter shards and shapes them for the API', () => {
    const sums = sumShards([
      { pk: 'TOTAL', sk: 'ALL#0', doses: 2, d1: 2, 'v#COVAXIN': 2, 'v#COVAXIN#d1': 2 },
      { pk: 'TOTAL', sk: 'ALL#3', doses: 1, d2: 1, 'v#COVAXIN': 1, 'v#COVAXIN#d2': 1 },
    ]);
    expect(countersView(sums.get('ALL'))).toEqual({
      doses: 3,
      by_dose: { dose_1: 2, dose_2: 1 },
      by_vaccine: { COVAXIN: { total: 3, by_dose: { dose_1: 2, dose_2: 1 } } },
    });
  });
});

describe('processStream', () => {
  const rec = (seq: string): DynamoDBRecord => ({ eventName: 'INSERT', dynamodb: { SequenceNumber: seq, NewImage: marshall(event) as never } });
  it('reports the records a consumer failed, and all records of a consumer that threw', async () => {
    const partial: StreamConsumer = { name: 'p', handle: async (r) => ({ failed: r.slice(1, 2) }) };
    const thrower: StreamConsumer = {
      name: 't',
      handle: async () => {
        throw new Error('down');
      },
    };
    expect(await processStream({ Records: [rec('1'), rec('2'), rec('3')] }, [partial])).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect((await processStream({ Records: [rec('1'), rec('2')] }, [partial, thrower])).batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      '1',
      '2',
    ]);
  });
});
