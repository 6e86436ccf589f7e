/**
 * The language an account's SMS are written in (issue #14, item 8): chosen per account, stored on
 * `ACCOUNT#<id>/PROFILE` as `language`; English when none was chosen.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { profileMobile } from '../platform/aws/account-mobile';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { http, noContent, requireCitizen } from '../platform/http/http';
import { Codes, DomainError } from '../platform/errors';
import { SMS_LANGUAGES, isSmsLanguage, type SmsLanguageCode } from '../platform/sms/languages';
import { ProfileKeys } from '../keys';

const profileOf = async (accountId: string) =>
  (await deps().db.send(new GetCommand({ TableName: tableName('main'), Key: ProfileKeys.account(accountId) }))).Item;
const languageOf = (item: Record<string, unknown> | undefined): SmsLanguageCode => {
  const language = String(item?.language ?? 'en');
  return isSmsLanguage(language) ? language : 'en';
};

/** The account's mobile (its envelope opened) and SMS language, in one read: for texting the account. */
export async function accountContact(accountId: string): Promise<{ mobile?: string; language: SmsLanguageCode }> {
  const item = await profileOf(accountId);
  return { mobile: await profileMobile(item), language: languageOf(item) };
}

/** The account's SMS language only: no decryption (the booking path texts the signed-in mobile from the token). */
export async function accountLanguage(accountId: string): Promise<SmsLanguageCode> {
  return languageOf(await profileOf(accountId));
}

const Body = z.object({ language: z.enum(SMS_LANGUAGES, `USRRES0002: language must be one of ${SMS_LANGUAGES.join(', ')}`) });

export const languageHandlers = {
  setAccountLanguage: http({ body: Body }, async ({ body, caller }) => {
    const citizen = requireCitizen(caller);
    try {
      await deps().db.send(
        new UpdateCommand({
          TableName: tableName('main'),
          Key: ProfileKeys.account(citizen.accountId),
          UpdateExpression: 'SET #l = :l',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#l': 'language' },
          ExpressionAttributeValues: { ':l': body.language },
        }),
      );
    } catch (e) {
      // An account is created at its first OTP sign-in.
      if (e instanceof ConditionalCheckFailedException) throw new DomainError(Codes.notFound, 'Account not found: sign in with OTP first', 'not_found');
      throw e;
    }
    return noContent();
  }),
};
