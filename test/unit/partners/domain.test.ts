import { bestMatch, matchName, secondsToNextUtcDay, statusOf } from '../../../functions/partners/domain';

describe('partner domain', () => {
  it('matches names ignoring case, accents, punctuation and a left-out middle name', () => {
    expect(matchName('RAVI  kumar', 'Ravi Kumar')).toBe('exact');
    expect(matchName('José Dsouza', "Jose D'souza")).toBe('none'); // apostrophe splits the surname: not the same words
    expect(matchName('Ravi Sharma', 'Ravi Kumar Sharma')).toBe('partial');
    expect(matchName('Ravi', 'Priya')).toBe('none');
    expect(
      bestMatch('Asha', [
        { beneficiaryId: '1', name: 'Asha Rani', dosesGiven: 0 },
        { beneficiaryId: '2', name: 'Asha', dosesGiven: 2 },
      ]).person?.beneficiaryId,
    ).toBe('2');
  });
  it('maps doses to status 0/1/2 and the precaution flag', () => {
    expect(statusOf({ dosesGiven: 0 })).toEqual({ status: 0, precaution: false });
    expect(statusOf({ dosesGiven: 1, seriesTotal: 2 })).toEqual({ status: 1, precaution: false });
    expect(statusOf({ dosesGiven: 2, seriesTotal: 2 })).toEqual({ status: 2, precaution: false });
    expect(statusOf({ dosesGiven: 3, seriesTotal: 2 })).toEqual({ status: 2, precaution: true });
    expect(statusOf({ dosesGiven: 1, seriesTotal: 1 })).toEqual({ status: 2, precaution: false });
  });
  it('gives Retry-After up to the next UTC midnight', () => {
    expect(secondsToNextUtcDay(Date.UTC(2026, 11, 1, 23, 59, 30))).toBe(30);
    expect(secondsToNextUtcDay(Date.UTC(2026, 11, 1, 0, 0, 0))).toBe(86_400);
  });
});
