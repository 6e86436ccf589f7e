/**
 * Stand-in for `@smithy/core/event-streams` in Lambda bundles (esbuild alias, lib/bundling.ts).
 * The SDK loads it lazily, only for operations with event streams; none of the services these
 * functions call (DynamoDB, SNS, S3 object reads/writes, KMS, SQS, Secrets Manager) has one.
 * If one ever did, this throws plainly instead of failing somewhere obscure.
 */
const unsupported = () => {
  throw new Error('event streams are not bundled in this function (see lib/bundling.ts)');
};
export const EventStreamSerde = unsupported;
export const eventStreamSerdeProvider = unsupported;
/** S3Client resolves its event-stream config when constructed (only SelectObjectContent uses it): no marshaller, nothing thrown. */
export const resolveEventStreamSerdeConfig = <T>(input: T): T => input;
