/** The sessions context's store, built from the environment (the only place it is built). */
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { DynamoSessionStore } from './dynamo-store';

export const sessionStore = (): DynamoSessionStore => new DynamoSessionStore(deps().db, tableName('main'));
