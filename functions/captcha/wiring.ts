/** The captcha context's ports, built from the environment (the only place they are built). */
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import type { CaptchaPorts } from './service';
import { DynamoCaptchaStore } from './dynamo-store';

export function captchaPorts(): CaptchaPorts {
  const d = deps();
  return {
    store: new DynamoCaptchaStore(d.db, tableName('main')),
    pepper: async () => (await d.secrets.get()).pepper,
    now: d.now,
    // Stage switch: CAPTCHA_REQUIRED=true makes `schedule` demand a captcha (off by default, as CoWIN after June 2021).
    required: /^(1|true|yes|on)$/i.test(process.env.CAPTCHA_REQUIRED ?? ''),
  };
}
