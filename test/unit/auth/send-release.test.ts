/**
 * Issue 8 defect 2: the number's cooldown and daily cap are consumed only by an SMS that went
 * out. Also when the work between taking the send and texting fails (KMS sealing the mobile, the
 * transaction write): the send is given back and the error answers.
 */
import { requestOtp, type SignInPorts } from '../../../functions/auth/service';
import type { AuthStore } from '../../../functions/auth/ports';

function ports(overrides: Partial<AuthStore>, encryptFails = false) {
  const calls: string[] = [];
  const store = {
    reserveSend: async () => {
      calls.push('reserve');
      return { ok: true as const };
    },
    takeSmsBudget: async () => true,
    releaseSend: async () => void calls.push('release'),
    createTxn: async () => void calls.push('createTxn'),
    ...overrides,
  } as unknown as AuthStore;
  const p: SignInPorts = {
    store,
    sms: { send: async () => void calls.push('sms') },
    secrets: { jwtSecret: 'j'.repeat(32), pepper: 'p'.repeat(32) },
    nowSeconds: 1_800_000_000,
    rules: { validitySeconds: 180, resendCooldownSeconds: 180, maxAttempts: 5, dailyCap: 50 },
    smsPerSecond: 100,
    issuer: 'test',
    tokenTtlSeconds: 900,
    encryptor: {
      encrypt: async () => {
        if (encryptFails) throw Object.assign(new Error('KMS down'), { name: 'KMSInternalException' });
        return 'v1.local.x.y.z.w';
      },
      decrypt: async () => '',
    },
  };
  return { p, calls };
}

it('texts and keeps the send when everything works', async () => {
  const { p, calls } = ports({});
  await requestOtp(p, '9876543210', 'public');
  expect(calls).toEqual(['reserve', 'createTxn', 'sms']);
});

it('gives the send back when the transaction write fails, and no SMS goes out', async () => {
  const { p, calls } = ports({ createTxn: async () => Promise.reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' })) });
  await expect(requestOtp(p, '9876543210', 'public')).rejects.toThrow('timed out');
  expect(calls).toEqual(['reserve', 'release']);
});

it('gives the send back when sealing the mobile fails', async () => {
  const { p, calls } = ports({}, true);
  await expect(requestOtp(p, '9876543210', 'public')).rejects.toThrow('KMS down');
  expect(calls).toEqual(['reserve', 'release']);
});
