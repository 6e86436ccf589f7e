/** The adapters around the certificate core: queue (SQS), blobs (S3), signer certificate store, encryptor, consumer, worker parsing. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBRecord } from 'aws-lambda';
import { S3BlobStore } from '../../../functions/platform/aws/blobs';
import { InProcessCertificateQueue, SqsCertificateQueue } from '../../../functions/platform/aws/certificate-queue';
import { KmsEncryptor, LocalEncryptor } from '../../../functions/platform/aws/encryptor';
import { InMemoryCertificateStore } from '../../../functions/platform/aws/signer/kms-signer';
import { S3CertificateStore } from '../../../functions/platform/aws/signer/s3-certificate-store';
import { certificatesConsumer, doseEventIdOf } from '../../../functions/certificates/consumer';
import { changeOf, s3KeyOf } from '../../../functions/certificates/service';
import type { BeneficiaryState, CertificateItem } from '../../../functions/certificates/dynamo-store';
import { handleSqs } from '../../../functions/certificates/worker';
import { memoryBlobs } from '../../support/memory-blobs';

describe('SqsCertificateQueue', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => sqs.reset());

  it('sends one message per dose event, 10 per SendMessageBatch, duplicates removed', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const ids = Array.from({ length: 23 }, (_, i) => `e${i}`);
    await new SqsCertificateQueue('https://sqs/q', sqs as unknown as SQSClient).enqueue([...ids, 'e0', 'e1']);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
    expect(calls[0]!.args[0].input.QueueUrl).toBe('https://sqs/q');
    const bodies = calls.flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).doseEventId));
    expect(bodies).toEqual(ids);
  });

  it('resends entries SQS failed on its side, and throws on sender faults', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: 'm1', SenderFault: false, Code: 'InternalError' }] })
      .resolvesOnce({ Successful: [{ Id: 'm1', MessageId: 'x', MD5OfMessageBody: 'y' }] });
    await new SqsCertificateQueue('https://sqs/q', sqs as unknown as SQSClient).enqueue(['a', 'b']);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).doseEventId)).toEqual(['b']);

    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: 'm0', SenderFault: true, Code: 'InvalidMessageContents' }] });
    await expect(new SqsCertificateQueue('https://sqs/q', sqs as unknown as SQSClient).enqueue(['a'])).rejects.toThrow(/InvalidMessageContents/);
  });

  it('in process: accepts at once like SQS, works in the background, retries a failed id, then gives up', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const run = jest.fn(async (ids: readonly string[]) => {
      await gate;
      return { failed: ids.filter((i) => i === 'bad') };
    });
    const queue = new InProcessCertificateQueue(run, 2, 3);
    await queue.enqueue(['a', 'a', 'bad']); // returns before any work finished: the stream is not held up
    expect(run).toHaveBeenCalledTimes(2);
    release();
    await queue.idle();
    expect(run.mock.calls.map((c) => c[0][0]).sort()).toEqual(['a', 'bad', 'bad', 'bad']); // 'bad' tried 3 times, 'a' once
    await queue.enqueue([]);
    await queue.idle();
    expect(run).toHaveBeenCalledTimes(4);
  });
});

/** What GetObject's Body offers (the SDK's stream mixin), enough for the store. */
const body = (bytes: Buffer) => ({ transformToByteArray: async () => new Uint8Array(bytes) });

describe('S3BlobStore', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  const store = () => new S3BlobStore('docs', () => s3 as unknown as S3Client);

  it('puts with the content type (no per-object SSE: the bucket default is SSE-KMS) and gets bytes back', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('%PDF-1.7')) as never });
    await store().put('certificates/1/x.pdf', Buffer.from('%PDF-1.7'), 'application/pdf');
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({ Bucket: 'docs', Key: 'certificates/1/x.pdf', ContentType: 'application/pdf' });
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.ServerSideEncryption).toBeUndefined();
    expect((await store().get('certificates/1/x.pdf'))?.toString()).toBe('%PDF-1.7');
  });

  it('answers undefined for a missing object and rethrows anything else', async () => {
    s3.on(GetObjectCommand)
      .rejectsOnce(Object.assign(new Error('no'), { name: 'NoSuchKey' }))
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    expect(await store().get('nope')).toBeUndefined();
    await expect(store().get('nope')).rejects.toThrow('denied');
  });

  it('writes only if absent: If-None-Match *, and false when S3 answers 412 (or 409 for a write in flight)', async () => {
    s3.on(PutObjectCommand)
      .resolvesOnce({})
      .rejectsOnce(
        Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        }),
      )
      .rejectsOnce(Object.assign(new Error('conflict'), { name: 'ConditionalRequestConflict', $metadata: { httpStatusCode: 409 } }))
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    expect(await store().putIfAbsent('signers/qr/k.der', Buffer.from('a'), 'application/pkix-cert')).toBe(true);
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({ Key: 'signers/qr/k.der', IfNoneMatch: '*' });
    expect(await store().putIfAbsent('signers/qr/k.der', Buffer.from('b'), 'application/pkix-cert')).toBe(false);
    expect(await store().putIfAbsent('signers/qr/k.der', Buffer.from('c'), 'application/pkix-cert')).toBe(false);
    await expect(store().putIfAbsent('signers/qr/k.der', Buffer.from('d'), 'application/pkix-cert')).rejects.toThrow('denied');
  });

  it('lists keys across pages', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'signers/qr/a.der' }], IsTruncated: true, NextContinuationToken: 't' })
      .resolvesOnce({ Contents: [{ Key: 'signers/qr/b.der' }], IsTruncated: false });
    expect(await store().list('signers/qr/')).toEqual(['signers/qr/a.der', 'signers/qr/b.der']);
    expect(s3.commandCalls(ListObjectsV2Command)[1]!.args[0].input.ContinuationToken).toBe('t');
  });

  it('presigns a GET valid for the given seconds', async () => {
    const url = await new S3BlobStore(
      'docs',
      () => new S3Client({ region: 'ap-south-1', credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' } }),
    ).presignGet('certificates/1/x.pdf', 300, 'c.pdf');
    expect(url).toContain('X-Amz-Expires=300');
    expect(url).toContain('certificates/1/x.pdf');
    expect(url).toContain('response-content-disposition=');
  });
});

describe('S3CertificateStore (KmsSigner certificates in the documents bucket)', () => {
  it('stores per key ARN under the purpose prefix, returns them, and lists every key ever used', async () => {
    const blobs = memoryBlobs();
    const store = new S3CertificateStore(blobs, 'signers/qr/');
    const arn1 = 'arn:aws:kms:ap-south-1:111122223333:key/0f1e-1';
    const arn2 = 'arn:aws:kms:ap-south-1:111122223333:key/0f1e-2';
    expect(await store.get(arn1)).toBeUndefined();
    await store.put(arn1, new Uint8Array([1, 2, 3]));
    await store.put(arn2, new Uint8Array([4, 5]));
    expect([...blobs.objects.keys()]).toEqual([
      'signers/qr/arn_aws_kms_ap-south-1_111122223333_key_0f1e-1.der',
      'signers/qr/arn_aws_kms_ap-south-1_111122223333_key_0f1e-2.der',
    ]);
    expect(await store.get(arn1)).toEqual(new Uint8Array([1, 2, 3]));
    expect((await store.all()).map((b) => [...b])).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(await new S3CertificateStore(blobs, 'signers/pdf/').all()).toEqual([]);
  });

  it('behaves like the in-memory store KmsSigner is tested with', async () => {
    for (const store of [new InMemoryCertificateStore(), new S3CertificateStore(memoryBlobs(), 'signers/pdf/')]) {
      await store.put('k', new Uint8Array([9]));
      expect(await store.get('k')).toEqual(new Uint8Array([9]));
      expect(await store.get('other')).toBeUndefined();
    }
  });
});

describe('encryptors (passport numbers)', () => {
  const context = { beneficiaryId: '12345678901234', field: 'passport' };

  it('local: AES-256-GCM envelope, key file created once (0600), bound to its context, tamper-evident', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'enc-'));
    const keyFile = join(dir, 'encryption.key');
    const enc = new LocalEncryptor(keyFile);
    const sealed = await enc.encrypt('T4829301', context);
    expect(sealed).toMatch(/^v1\.local\./);
    expect(sealed).not.toContain('T4829301');
    expect(await enc.encrypt('T4829301', context)).not.toBe(sealed); // fresh data key and IV each time
    expect(await new LocalEncryptor(keyFile).decrypt(sealed, context)).toBe('T4829301'); // same key file, new process
    expect(Buffer.from(readFileSync(keyFile, 'utf8'), 'base64')).toHaveLength(32);
    await expect(enc.decrypt(sealed, { ...context, beneficiaryId: '99999999999999' })).rejects.toThrow();
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[5]!, 'base64');
    ct[0] = ct[0]! ^ 1;
    parts[5] = ct.toString('base64');
    await expect(enc.decrypt(parts.join('.'), context)).rejects.toThrow();
    await expect(new LocalEncryptor(join(dir, 'other.key')).decrypt(sealed, context)).rejects.toThrow();
  });

  it('KMS: one GenerateDataKey (AES_256, with the encryption context) per value, Decrypt to read', async () => {
    const kms = mockClient(KMSClient);
    const dataKey = new Uint8Array(32).fill(7);
    kms.on(GenerateDataKeyCommand).callsFake(() => ({ Plaintext: new Uint8Array(dataKey), CiphertextBlob: new Uint8Array([0xaa, 0xbb]) }));
    kms.on(DecryptCommand).callsFake(() => ({ Plaintext: new Uint8Array(dataKey) }));
    const enc = new KmsEncryptor('arn:aws:kms:ap-south-1:1:key/data', kms as unknown as KMSClient);
    const sealed = await enc.encrypt('T4829301', context);
    expect(sealed.startsWith(`v1.kms.${Buffer.from([0xaa, 0xbb]).toString('base64')}.`)).toBe(true);
    expect(await enc.decrypt(sealed, context)).toBe('T4829301');
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toEqual({
      KeyId: 'arn:aws:kms:ap-south-1:1:key/data',
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input.EncryptionContext).toEqual(context);
    await expect(new LocalEncryptor(join(mkdtempSync(join(tmpdir(), 'enc-')), 'k')).decrypt(sealed, context)).rejects.toThrow(/sealed by kms/);
    kms.restore();
  });
});

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', pk: string, sk: string, seq = '1'): DynamoDBRecord => ({
  eventName,
  dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } }, SequenceNumber: seq },
});

describe('certificates stream consumer', () => {
  it('enqueues inserted dose event items only (doses and corrections, not AEFIs, not updates)', async () => {
    expect(doseEventIdOf(record('INSERT', 'DOSEEVENT#e1', 'EVENT'))).toBe('e1');
    expect(doseEventIdOf(record('MODIFY', 'DOSEEVENT#e1', 'EVENT'))).toBeUndefined(); // correctedBy link on the old event
    expect(doseEventIdOf(record('INSERT', 'DOSEEVENT#e1', 'AEFI#a1'))).toBeUndefined();
    expect(doseEventIdOf(record('INSERT', 'BEN#1', 'PROFILE'))).toBeUndefined();
    const enqueue = jest.fn(async () => undefined);
    const consumer = certificatesConsumer(() => ({ enqueue }));
    const out = await consumer.handle([
      record('INSERT', 'DOSEEVENT#e1', 'EVENT', '1'),
      record('INSERT', 'CERT#x', 'META', '2'),
      record('INSERT', 'DOSEEVENT#e2', 'EVENT', '3'),
    ]);
    expect(out.failed).toEqual([]);
    expect(enqueue).toHaveBeenCalledWith(['e1', 'e2']);
  });

  it('reports the dose records as failed when the queue is down (the stream redelivers them)', async () => {
    const consumer = certificatesConsumer(() => ({ enqueue: async () => Promise.reject(new Error('SQS down')) }));
    const records = [record('INSERT', 'DOSEEVENT#e1', 'EVENT', '1'), record('INSERT', 'BEN#1', 'PROFILE', '2')];
    expect((await consumer.handle(records)).failed.map((r) => r.dynamodb?.SequenceNumber)).toEqual(['1']);
  });
});

describe('worker and issuance rules', () => {
  it('acks malformed messages (they never become valid) and reports failed ones for redelivery', async () => {
    const events = new Map([
      ['e-ok', 'B1'],
      ['e-bad', 'B2'],
    ]);
    const ports = {
      store: { getEvent: async (id: string) => (events.has(id) ? { beneficiaryId: events.get(id) } : undefined) },
    } as never;
    // ensureCurrentCertificate needs a full store: a missing loadState makes B1 and B2 fail, which is what we assert.
    const out = await handleSqs(
      {
        Records: [
          { messageId: 'm1', body: 'not json' },
          { messageId: 'm2', body: JSON.stringify({ doseEventId: 'e-ok' }) },
          { messageId: 'm3', body: JSON.stringify({ doseEventId: 'unknown' }) },
          { messageId: 'm4', body: JSON.stringify({ nothing: true }) },
        ],
      } as never,
      ports,
    );
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
  });

  it('supersedes on a new dose or passport, revokes on a holder or dose correction and on a voided dose', () => {
    const previous = { holder: { name: 'A B', birthYear: 1980, genderId: 1 }, eventIds: { '1': 'e1' } } as unknown as CertificateItem;
    const state = (over: Partial<BeneficiaryState['profile']>, events: string[]) =>
      ({
        profile: { name: 'A B', birthYear: 1980, genderId: 1, ...over },
        events: events.map((eventId, i) => ({ eventId, dose: i + 1 })),
      }) as unknown as BeneficiaryState;
    expect(changeOf(previous, state({}, ['e1', 'e2']))).toBe('superseded');
    expect(changeOf(previous, state({}, ['e1']))).toBe('superseded'); // passport linked: same holder, same doses
    expect(changeOf(previous, state({ name: 'A C' }, ['e1']))).toBe('HOLDER_CORRECTED');
    expect(changeOf(previous, state({ birthYear: 1981 }, ['e1']))).toBe('HOLDER_CORRECTED');
    expect(changeOf(previous, state({}, ['e1-corrected']))).toBe('DOSE_CORRECTED');
    // Dose 2 voided: the certificate that showed it is revoked, not merely superseded.
    const two = { ...previous, eventIds: { '1': 'e1', '2': 'e2' } } as CertificateItem;
    expect(changeOf(two, state({}, ['e1']))).toBe('DOSE_VOIDED');
  });

  it('keys PDFs by beneficiary and a key-safe certificate id', () => {
    expect(s3KeyOf('12345678901234', 'URN:UVCI:01:IN:ABCD0123#Q')).toBe('certificates/12345678901234/URN-UVCI-01-IN-ABCD0123-Q.pdf');
  });
});
