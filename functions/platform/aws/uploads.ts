/**
 * Direct browser uploads to the documents bucket (S3 presigned POST; s3rver locally) and the
 * check of what arrived. The POST policy pins the exact key, the Content-Type, the size range and
 * SSE-KMS, so S3 itself refuses anything else; the server re-checks size and the file's real
 * type afterwards (HEAD + first bytes), because a policy is only as good as the store enforcing
 * it (s3rver enforces none of it).
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from './blobs';
import type { UploadedObject, UploadForm, UploadPort } from '../ports';
import { config } from '../config';

export type { UploadedObject, UploadForm, UploadPort } from '../ports';

/** The POST policy conditions (exported for the unit test of what S3 is asked to enforce). */
export function uploadConditions(bucket: string, key: string, contentType: string, maxBytes: number, kmsKeyId?: string) {
  const fields: Record<string, string> = {
    'Content-Type': contentType,
    'x-amz-server-side-encryption': 'aws:kms',
    ...(kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': kmsKeyId } : {}),
  };
  const conditions = [
    { bucket },
    ['eq', '$key', key] as ['eq', string, string],
    ['eq', '$Content-Type', contentType] as ['eq', string, string],
    ['content-length-range', 1, maxBytes] as ['content-length-range', number, number],
    ['eq', '$x-amz-server-side-encryption', 'aws:kms'] as ['eq', string, string],
    ...(kmsKeyId ? [['eq', '$x-amz-server-side-encryption-aws-kms-key-id', kmsKeyId] as ['eq', string, string]] : []),
  ];
  return { fields, conditions };
}

export class S3Uploads implements UploadPort {
  constructor(
    private readonly bucket: string,
    private readonly kmsKeyId: string | undefined,
  ) {}

  async form(key: string, contentType: string, maxBytes: number, expiresSeconds: number): Promise<UploadForm> {
    const { fields, conditions } = uploadConditions(this.bucket, key, contentType, maxBytes, this.kmsKeyId);
    return createPresignedPost(s3Client(), { Bucket: this.bucket, Key: key, Fields: fields, Conditions: conditions, Expires: expiresSeconds });
  }

  async inspect(key: string): Promise<UploadedObject | undefined> {
    try {
      const head = await s3Client().send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const size = Number(head.ContentLength ?? 0);
      let first: Uint8Array = new Uint8Array();
      if (size > 0) {
        const res = await s3Client().send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: 'bytes=0-15' }));
        first = res.Body ? (await res.Body.transformToByteArray()).subarray(0, 16) : first;
      }
      return { size, contentType: head.ContentType, head: first };
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
      throw e;
    }
  }

  link(key: string, seconds: number): Promise<string> {
    return getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: seconds });
  }

  async remove(key: string): Promise<void> {
    await s3Client().send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

/** The documents bucket's uploads (DOCUMENTS_BUCKET), SSE-KMS under the data key when it is a KMS key ARN. */
export function uploads(): UploadPort {
  const bucket = config.documentsBucket();
  if (!bucket) throw new Error('DOCUMENTS_BUCKET is not set');
  const key = config.encryptionKeyId();
  return new S3Uploads(bucket, key?.startsWith('arn:aws:kms:') ? key : undefined);
}
