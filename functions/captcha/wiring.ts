/** The captcha context's ports, built from the environment (the only place they are built). */
import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import type { CaptchaPorts } from './service';
import { DynamoCaptchaStore } from './dynamo-store';

export function captchaPorts(): CaptchaPorts {
  const d = deps();
  return {
    store: new DynamoCaptchaStore(d.db, tableName('main')),
    pepper: async () => (await d.secrets.get()).pepper,
    now: d.now,
    required: config.captchaRequired(),
  };
}
