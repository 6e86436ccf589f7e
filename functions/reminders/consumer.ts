/**
 * The reminders stream consumer: every inserted dose event (new dose or correction) writes the
 * due item of the next dose (`REMINDUE#<dueDate>#<shard>`, idempotent put). A correction that
 * moves the dose date writes another due item; the job checks the profile when it runs, so a
 * stale one sends nothing.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { logger } from '../platform/logger';
import type { StreamConsumer } from '../platform/streams';
import { nextDue } from './domain';
import { DynamoReminderStore } from './dynamo-store';

export function remindersConsumer(store: () => DynamoReminderStore = () => new DynamoReminderStore(deps().db, tableName('main'))): StreamConsumer {
  return {
    name: 'reminders',
    async handle(records: DynamoDBRecord[]) {
      const failed: DynamoDBRecord[] = [];
      for (const r of records) {
        const pk = r.dynamodb?.Keys?.pk?.S;
        if (r.eventName !== 'INSERT' || !pk?.startsWith('DOSEEVENT#') || r.dynamodb?.Keys?.sk?.S !== 'EVENT' || !r.dynamodb?.NewImage) continue;
        const e = unmarshall(r.dynamodb.NewImage as Record<string, AttributeValue>);
        const due = nextDue(String(e.vaccine), Number(e.dose), String(e.givenDate));
        if (!due) continue;
        try {
          await store().putDue(String(e.beneficiaryId), due);
        } catch (err) {
          logger.error('reminders: due item not written, record will be redelivered', { error: err as Error });
          failed.push(r);
        }
      }
      return { failed };
    },
  };
}
