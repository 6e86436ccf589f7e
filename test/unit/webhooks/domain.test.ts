import { backoffMs, checkUrl, deliveryIdOf, transitionOf } from '../../../functions/webhooks/domain';
import { candidateSession } from '../../../functions/webhooks/consumer';

describe('webhook domain', () => {
  it('accepts only public https URLs outside the local runtime', () => {
    expect(checkUrl('https://hooks.example.com/cowin', false)).toBeUndefined();
    for (const bad of [
      'http://hooks.example.com/x',
      'https://127.0.0.1/x',
      'https://10.0.0.5/x',
      'https://localhost/x',
      'https://169.254.169.254/latest',
      'https://u:p@example.com/',
      'nope',
    ])
      expect(checkUrl(bad, false)).toBeDefined();
    expect(checkUrl('http://127.0.0.1:9999/x', true)).toBeUndefined();
  });
  it('derives stable delivery ids and exponential backoff', () => {
    expect(deliveryIdOf('s', 'x', 1)).toBe(deliveryIdOf('s', 'x', 1));
    expect(deliveryIdOf('s', 'x', 1)).not.toBe(deliveryIdOf('s', 'x', 2));
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30, 1000)).toBe(900_000);
    expect(transitionOf(false, true)).toBe('seats.open');
    expect(transitionOf(true, false)).toBe('seats.gone');
    expect(transitionOf(true, true)).toBeUndefined();
  });
  it('looks at a shard only when it reaches or leaves zero', () => {
    const rec = (eventName: 'INSERT' | 'MODIFY', oldD1: number, newD1: number) => ({
      eventName,
      dynamodb: {
        Keys: { pk: { S: 'CAP#abc#2' }, sk: { S: 'CAP' } },
        OldImage: { d1: { N: String(oldD1) }, d2: { N: '0' } },
        NewImage: { d1: { N: String(newD1) }, d2: { N: '0' } },
      },
    });
    expect(candidateSession(rec('MODIFY', 5, 4))).toBeUndefined();
    expect(candidateSession(rec('MODIFY', 1, 0))).toBe('abc');
    expect(candidateSession(rec('MODIFY', 0, 3))).toBe('abc');
    expect(candidateSession(rec('INSERT', 0, 3))).toBe('abc');
    expect(candidateSession({ eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: 'SESSION#abc' }, sk: { S: 'META' } } } })).toBe('abc');
    expect(candidateSession({ eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: 'BEN#1' }, sk: { S: 'PROFILE' } } } })).toBeUndefined();
  });
});
