/**
 * The requests context on the main table (docs/data-model.md "Requests"):
 *
 *  - REQ#<id> / META                 the request; gsi1 REQOPEN#<districtId> / <dueAt>#<id> while open (sparse:
 *                                    removed by the decision), gsi2 REQACC#<accountId> / <filedAt>#<id>
 *  - REQ#<id> / AUDIT#<at>#<n>       every step (filed, evidence, decided, applied, notified)
 *  - BEN#<id> / REQCOUNT#<kind>      filings of a kind for the beneficiary (the limit's counter)
 */
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../platform/dynamo/client';
import type { Decision, RequestStatus } from './domain';
import type { AuditEntry, DecideOutcome, EvidenceRef, FileOutcome, RequestItem, RequestStore } from './ports';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export const ReqKeys = {
  request: (id: string) => ({ pk: `REQ#${id}`, sk: 'META' }),
  counter: (beneficiaryId: string, kind: string) => ({ pk: `BEN#${beneficiaryId}`, sk: `REQCOUNT#${kind}` }),
  open: (districtId: number) => `REQOPEN#${districtId}`,
  account: (accountId: string) => `REQACC#${accountId}`,
};

const AUDIT_DAYS = 400;

const isConditionFailure = (e: unknown): boolean =>
  (e as { name?: string }).name === 'ConditionalCheckFailedException' ||
  (e instanceof TransactionCanceledException &&
    (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict'));

function toRequest(i: Record<string, unknown>): RequestItem {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = i;
  return { ...(rest as unknown as RequestItem), evidence: (i.evidence as EvidenceRef[]) ?? [] };
}

export class DynamoRequestStore implements RequestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private auditPut(e: AuditEntry): TransactItem {
    return { Put: { TableName: this.table, Item: this.auditItem(e) } };
  }

  /** An update of the request item and its audit entry, in one transaction: the entry exists only if the update happened. */
  private updateAudited(requestId: string, update: Omit<NonNullable<TransactItem['Update']>, 'TableName' | 'Key'>, audit: AuditEntry) {
    return this.db.send(
      new TransactWriteCommand({ TransactItems: [{ Update: { TableName: this.table, Key: ReqKeys.request(requestId), ...update } }, this.auditPut(audit)] }),
    );
  }

  private auditItem(e: AuditEntry): Record<string, unknown> {
    return { pk: `REQ#${e.requestId}`, sk: `AUDIT#${e.at}#${randomUUID()}`, ...e, ttl: Math.floor(Date.parse(e.at) / 1000) + AUDIT_DAYS * 86_400 };
  }

  async file(r: RequestItem, limit: number, audit: AuditEntry): Promise<FileOutcome> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: ReqKeys.counter(r.beneficiaryId, r.kind),
                UpdateExpression: 'ADD #n :one',
                ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
                ExpressionAttributeNames: { '#n': 'filed' },
                ExpressionAttributeValues: { ':one': 1, ':limit': limit },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...ReqKeys.request(r.requestId),
                  ...r,
                  gsi1pk: ReqKeys.open(r.districtId),
                  gsi1sk: `${r.dueAt}#${r.requestId}`,
                  gsi2pk: ReqKeys.account(r.accountId),
                  gsi2sk: `${r.filedAt}#${r.requestId}`,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            this.auditPut(audit),
          ],
        }),
      );
      return { ok: true };
    } catch (e) {
      if (isConditionFailure(e)) return { ok: false, reason: 'limit' };
      throw e;
    }
  }

  async get(requestId: string): Promise<RequestItem | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: ReqKeys.request(requestId), ConsistentRead: true }));
    return res.Item ? toRequest(res.Item) : undefined;
  }

  async ofAccount(accountId: string): Promise<RequestItem[]> {
    const items = await queryAll(
      this.db,
      {
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': ReqKeys.account(accountId) },
        ScanIndexForward: false,
      },
      200,
    );
    return items.map(toRequest);
  }

  async openOfDistrict(districtId: number): Promise<RequestItem[]> {
    const items = await queryAll(
      this.db,
      {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': ReqKeys.open(districtId) },
      },
      500,
    );
    return items.map(toRequest);
  }

  async addEvidence(requestId: string, ref: EvidenceRef, max: number, audit: AuditEntry): Promise<boolean> {
    try {
      await this.updateAudited(
        requestId,
        {
          UpdateExpression: 'SET evidence = list_append(evidence, :one)',
          ConditionExpression: 'size(evidence) < :max AND #s = :open',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':one': [ref], ':max': max, ':open': 'open' },
        },
        audit,
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async markUploaded(requestId: string, index: number, evidenceId: string, size: number, at: string, audit: AuditEntry): Promise<void> {
    await this.updateAudited(
      requestId,
      {
        UpdateExpression: `SET evidence[${index}].uploadedAt = :at, evidence[${index}].size = :n`,
        ConditionExpression: `evidence[${index}].evidenceId = :id`,
        ExpressionAttributeValues: { ':at': at, ':n': size, ':id': evidenceId },
      },
      audit,
    );
  }

  async dropEvidence(requestId: string, index: number, evidenceId: string, audit: AuditEntry): Promise<void> {
    try {
      await this.updateAudited(
        requestId,
        {
          UpdateExpression: `REMOVE evidence[${index}]`,
          ConditionExpression: `evidence[${index}].evidenceId = :id`,
          ExpressionAttributeValues: { ':id': evidenceId },
        },
        audit,
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  async decide(
    r: RequestItem,
    from: RequestStatus,
    to: RequestStatus,
    decision: Decision,
    reason: string,
    staffId: string,
    at: string,
    audit: AuditEntry,
  ): Promise<DecideOutcome> {
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: ReqKeys.request(r.requestId),
          UpdateExpression: 'SET #s = :to, decision = :d, decisionReason = :why, decidedBy = :by, decidedAt = :at REMOVE gsi1pk, gsi1sk',
          ConditionExpression: '#s = :from',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':to': to, ':from': from, ':d': decision, ':why': reason, ':by': staffId, ':at': at },
        },
      },
      this.auditPut(audit),
    ];
    if (to === 'rejected') {
      // A rejected filing does not use up the kind's limit: the citizen may file again with better evidence.
      items.push({
        Update: {
          TableName: this.table,
          Key: ReqKeys.counter(r.beneficiaryId, r.kind),
          UpdateExpression: 'ADD #n :minus',
          ConditionExpression: '#n > :zero',
          ExpressionAttributeNames: { '#n': 'filed' },
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (e) {
      if (isConditionFailure(e)) return { ok: false, reason: 'not_open' };
      throw e;
    }
  }

  async finishApply(
    requestId: string,
    status: 'applied' | 'apply_failed',
    at: string,
    outcome: { result?: Record<string, unknown>; error?: { code: string; message: string } },
    audit: AuditEntry,
  ): Promise<void> {
    await this.updateAudited(
      requestId,
      {
        UpdateExpression: outcome.error ? 'SET #s = :s, applyError = :e, appliedAt = :at' : 'SET #s = :s, applyResult = :r, appliedAt = :at REMOVE applyError',
        ConditionExpression: '#s = :accepted',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': status,
          ':at': at,
          ':accepted': 'accepted',
          ...(outcome.error ? { ':e': outcome.error } : { ':r': outcome.result ?? {} }),
        },
      },
      audit,
    );
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: this.auditItem(entry) }));
  }

  async trail(requestId: string): Promise<AuditEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': `REQ#${requestId}`, ':a': 'AUDIT#' },
      ConsistentRead: true,
    });
    return items.map(({ pk: _p, sk: _s, ttl: _t, ...rest }) => rest as unknown as AuditEntry);
  }
}
