import * as z from 'zod';
import { config } from '../platform/config';
import { encryptor } from '../platform/aws/encryptor';
import { smsSender } from '../platform/aws/sms';
import { deps } from '../platform/deps';
import { dispatcher } from '../platform/http/dispatch';
import { http, ok, requireCitizen, requireStaff } from '../platform/http/http';
import { authStore } from './authenticate';
import { confirmOtp, requestOtp, type SignInPorts } from './service';
import { authenticate } from './authenticate';

const Mobile = z.object({ mobile: z.string().min(1).max(16) });
const WebMobile = Mobile.extend({ secret: z.string().min(1).max(512) });
const Confirm = z.object({
  otp: z.string().regex(/^[0-9a-fA-F]{64}$/, 'USRAUT0014: otp must be the SHA-256 hex of the OTP'),
  txnId: z.uuid('USRAUT0013: Invalid transaction id'),
});

async function ports(): Promise<SignInPorts> {
  const d = deps();
  return {
    store: authStore(),
    sms: smsSender(),
    secrets: await d.secrets.get(),
    nowSeconds: Math.floor(d.now().getTime() / 1000),
    rules: config.otp(),
    smsPerSecond: config.smsMaxPerSecond(),
    issuer: config.issuer(),
    tokenTtlSeconds: config.tokenTtlSeconds(),
    encryptor: encryptor(),
  };
}

const generate = (channel: 'public' | 'partner' | 'web', schema: typeof Mobile) =>
  http({ body: schema }, async ({ body }) => ok(await requestOtp(await ports(), body.mobile, channel)));

export const handler = dispatcher(
  'auth',
  {
    publicGenerateOtp: generate('public', Mobile),
    generateOtp: generate('partner', Mobile),
    generateMobileOtp: generate('web', WebMobile),
    publicConfirmOtp: http({ body: Confirm }, async ({ body }) => {
      const { token } = await confirmOtp(await ports(), body.txnId, body.otp);
      return ok({ token });
    }),
    validateMobileOtp: http({ body: Confirm }, async ({ body }) => {
      const { token } = await confirmOtp(await ports(), body.txnId, body.otp);
      return ok({ token });
    }),
    confirmOtp: http({ body: Confirm }, async ({ body }) => {
      const { token, isNewAccount } = await confirmOtp(await ports(), body.txnId, body.otp);
      return ok({ token, isNewAccount: isNewAccount ? 'Y' : 'N' });
    }),
    staffLogout: http({}, async ({ caller }) => {
      // Staff sign-out: the token's id goes on the same deny-list as citizen logout, checked on every call.
      const staff = requireStaff(caller);
      await authStore().revokeToken(staff.jti, staff.exp);
      return ok({});
    }),
    logout: http({}, async ({ caller }) => {
      const citizen = requireCitizen(caller);
      await authStore().revokeToken(citizen.jti, citizen.exp);
      return ok({});
    }),
  },
  { authenticate },
);
