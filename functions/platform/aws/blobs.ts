import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { deps } from '../deps';
import type { BlobStore } from '../ports';
import { config } from '../config';

/** The object storage port (BlobStore) is declared in ./ports.ts: S3 in AWS, s3rver locally. */
export type { BlobStore } from '../ports';

let client: S3Client | undefined;

/**
 * One S3 client per process. With an endpoint override (AWS_ENDPOINT_URL_S3: s3rver, MinIO)
 * path-style addressing is required, and the SDK's default request checksums (CRC32 trailers)
 * are sent only when an operation requires them: s3rver rejects the trailers. S3_ACCESS_KEY_ID /
 * S3_SECRET_ACCESS_KEY, when set, sign requests to that endpoint only.
 */
export function s3Client(): S3Client {
  if (!client) {
    const { endpoint, accessKeyId, secretAccessKey } = config.localS3();
    client = endpoint
      ? new S3Client({
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
          // The local stand-in's own key pair (s3rver: S3RVER/S3RVER), set by dev/local/stack.ts.
          ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
        })
      : new S3Client({});
  }
  return client;
}

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly bucket: string,
    private readonly s3: () => S3Client = s3Client,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.s3().send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async putIfAbsent(key: string, bytes: Uint8Array, contentType: string): Promise<boolean> {
    try {
      await this.s3().send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType, IfNoneMatch: '*' }));
      return true;
    } catch (e) {
      // 412: the object exists; 409: a concurrent conditional write to the key is in flight (it wins).
      const name = (e as { name?: string }).name;
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 412 || status === 409) return false;
      throw e;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const res = await this.s3().send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!res.Body) return undefined;
      return Buffer.from(await res.Body.transformToByteArray());
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.s3().send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async list(prefix: string, max = 1000): Promise<string[]> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const res = await this.s3().send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }));
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
      ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (ContinuationToken && keys.length < max);
    return keys.slice(0, max);
  }

  presignGet(key: string, seconds: number, filename?: string): Promise<string> {
    return getSignedUrl(
      this.s3(),
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(filename ? { ResponseContentDisposition: `attachment; filename="${filename}"`, ResponseContentType: 'application/pdf' } : {}),
      }),
      { expiresIn: seconds },
    );
  }
}

let defaultBlobs: { bucket: string; store: BlobStore } | undefined;

/** The documents bucket (DOCUMENTS_BUCKET): a test override if set, else S3 (or s3rver locally). */
export function blobStore(): BlobStore {
  const override = deps().blobs;
  if (override) return override;
  const bucket = config.documentsBucket();
  if (!bucket) throw new Error('DOCUMENTS_BUCKET is not set');
  if (defaultBlobs?.bucket !== bucket) defaultBlobs = { bucket, store: new S3BlobStore(bucket) };
  return defaultBlobs.store;
}
