import type { Timestamper } from './ports';
import { timestampRequest, TimestampError, tokenFromResponse } from './domain/timestamp';

export interface TsaClientOptions {
  /** The TSA's RFC 3161 HTTP endpoint (TSA_URL). */
  url: string;
  /** Per attempt; default 3 s. */
  timeoutMs?: number;
  /** Attempts on a network error, 5xx or timeout; default 2. */
  attempts?: number;
  fetch?: typeof fetch;
}

/**
 * The Timestamper adapter: RFC 3161 over HTTP (§3.4, application/timestamp-query → -reply).
 * Only the SHA-256 of the PDF signature value leaves the account, never the document. The
 * answer is checked (status, imprint, nonce, the token's signature) before it is used.
 */
export class TsaClient implements Timestamper {
  private readonly fetch: typeof fetch;
  constructor(private readonly options: TsaClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async timestamp(imprint: Uint8Array): Promise<Uint8Array> {
    const attempts = this.options.attempts ?? 2;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const request = timestampRequest(imprint);
      let response: Response;
      try {
        response = await this.fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
          body: request.der,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
        });
      } catch (error) {
        last = new TimestampError(`TSA ${this.options.url} unreachable: ${(error as Error).message}`);
        continue;
      }
      if (response.status >= 500) {
        last = new TimestampError(`TSA ${this.options.url} answered ${response.status}`);
        continue;
      }
      if (!response.ok) throw new TimestampError(`TSA ${this.options.url} answered ${response.status}`);
      return tokenFromResponse(new Uint8Array(await response.arrayBuffer()), { imprint, nonce: request.nonce });
    }
    throw last;
  }
}
