/**
 * Function group `captcha`: `POST /api/v2/auth/getRecaptcha` answers `{"captcha":"<svg …>"}`, a
 * distorted text captcha with noise lines (svg-captcha renders the glyphs as paths from its font,
 * so the text is not in the SVG). The answer is stored hashed, bound to the caller's token, valid
 * 5 minutes, one-time; `schedule` checks it when the stage enforces captchas (CAPTCHA_REQUIRED).
 */
import svgCaptcha from 'svg-captcha';
import { dispatcher } from '../platform/http/dispatch';
import { http, ok, requireCitizen } from '../platform/http/http';
import { storeCaptcha } from './service';
import { captchaPorts } from './wiring';
import { authenticate } from '../auth/authenticate';

export const handler = dispatcher(
  'captcha',
  {
    getRecaptcha: http({}, async ({ caller }) => {
      const citizen = requireCitizen(caller);
      // 5 characters from an alphabet without look-alikes (0/O, 1/l/I), curved paths, 3 noise lines.
      const { text, data } = svgCaptcha.create({ size: 5, noise: 3, ignoreChars: '0oO1iIlL', color: false, background: '#ffffff', width: 150, height: 50 });
      await storeCaptcha(captchaPorts(), citizen.jti, text);
      return ok({ captcha: data });
    }),
  },
  { authenticate },
);
