import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxSmsSender, maskE164 } from '../../../../functions/platform/aws/sms';
import { renderSms } from '../../../../functions/platform/sms/catalogue';

describe('local SMS console echo (issue 8 defect 8)', () => {
  it('masks the number on the console; the outbox file keeps it for tests and the README', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sms-')), 'outbox.jsonl');
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
    try {
      await new OutboxSmsSender(path, true).send('+919876543210', renderSms('otp', { otp: '123456', minutes: 3 }));
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toContain('+91XXXXXX3210');
    expect(writes.join('')).not.toContain('9876543210');
    expect(JSON.parse(readFileSync(path, 'utf8')).to).toBe('+919876543210');
    expect(maskE164('+919876543210')).toBe('+91XXXXXX3210');
  });
});
