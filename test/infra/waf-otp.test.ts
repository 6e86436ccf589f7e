import { Match } from 'aws-cdk-lib/assertions';
import { App } from 'aws-cdk-lib';
import { readConfig } from '../../lib/config';
import { otpSendingPathRegex } from '../../lib/waf';
import { BINARY_MEDIA_TYPES, OTP_SENDING_ROUTES, routes, type RouteDef } from '../../functions/routes';
import { buildStack } from './app';

const otpRule = (limit: number) =>
  Match.objectLike({
    Name: 'OtpSendsPerIp',
    Action: {
      Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'throttled', ResponseHeaders: [{ Name: 'Retry-After', Value: Match.anyValue() }] } },
    },
    Statement: {
      RateBasedStatement: {
        Limit: limit,
        AggregateKeyType: 'IP',
        EvaluationWindowSec: 300,
        ScopeDownStatement: { RegexMatchStatement: { FieldToMatch: { UriPath: {} }, RegexString: otpSendingPathRegex() } },
      },
    },
  });

describe('WAF OtpSendsPerIp (SMS pumping guard)', () => {
  it('rate-limits the OTP-sending routes per IP: 20 per 5 minutes by default, context otpSendsPerIp to change; smsMps reaches the SMS-sending functions', () => {
    const { template } = buildStack({ stage: 'dev' }, { bundle: false });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([otpRule(20)]) });
    // Every binary type a handler accepts (certificate verify: PDF and octet-stream) reaches it as bytes.
    // Every media type is binary to API Gateway (lib/api.ts), so octet-stream and PDF bodies arrive intact.
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
    expect(BINARY_MEDIA_TYPES).toEqual(expect.arrayContaining(['application/pdf', 'application/octet-stream']));
    const custom = buildStack({ stage: 'dev', otpSendsPerIp: 50, smsMps: 100 }, { bundle: false }).template;
    custom.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([otpRule(50)]) });
    custom.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ SMS_MAX_PER_SECOND: '100' }) } });
  });

  it('matches exactly the OTP-sending paths behind the stage prefix, and nothing else', () => {
    const re = new RegExp(otpSendingPathRegex());
    expect(otpSendingPathRegex().length).toBeLessThanOrEqual(200); // WAF regex string limit
    for (const r of routes as readonly RouteDef[]) {
      expect(re.test(`/prod${r.path}`)).toBe((OTP_SENDING_ROUTES as readonly string[]).includes(r.id));
    }
  });

  it('refuses an otpSendsPerIp under the WAF minimum of 10', () => {
    const app = new App({ context: { otpSendsPerIp: '5' } });
    expect(() => readConfig(app.node)).toThrow(/otpSendsPerIp/);
    expect(readConfig(new App({ context: { otpSendsPerIp: '30', smsMps: '40' } }).node)).toMatchObject({ otpSendsPerIp: 30, smsMps: 40 });
  });
});
