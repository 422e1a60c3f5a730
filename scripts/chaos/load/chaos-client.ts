import { setTimeout as sleep } from 'node:timers/promises';
import Zernio, { ZernioApiError } from '@zernio/node';
import type { ApiTraffic } from './api-traffic';

/** What an SDK call gets besides its path and body: our headers and the recording fetch. */
export interface CallOptions {
  headers: Record<string, string>;
  fetch: typeof fetch;
}

/** Retries that never got an answer worth keeping, by the time the client gives up. */
export class GaveUpError extends Error {}

const RETRYABLE_CODES = new Set(['IDEMPOTENCY_KEY_IN_FLIGHT', 'RATE_LIMITED']);

/**
 * One customer's SDK, as a careful client uses it: requests alternate between the two gateways;
 * a network error, a 5xx or a 409 "still in flight" is retried with the same Idempotency-Key
 * after a short backoff (or the Retry-After), until `giveUpMs`. A 4xx is the answer.
 */
export class ChaosClient {
  private readonly sdks: Zernio[];
  private turn = 0;

  constructor(
    apiKey: string,
    gatewayUrls: string[],
    private readonly traffic: ApiTraffic,
    private readonly giveUpMs: number,
  ) {
    this.sdks = gatewayUrls.map((baseURL) => new Zernio({ apiKey, baseURL, timeout: 60_000 }));
  }

  async send<T>(what: string, call: (z: Zernio, options: CallOptions) => Promise<{ data?: unknown }>, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
    const deadline = Date.now() + this.giveUpMs;
    let backoffMs = 200;
    for (;;) {
      const z = this.sdks[this.turn++ % this.sdks.length];
      try {
        return (await call(z, { headers, fetch: this.traffic.fetch })).data as T;
      } catch (error) {
        // Anything but an API error is the network (refused, cut, timed out): retried like a 5xx.
        if (error instanceof ZernioApiError && error.statusCode < 500 && !RETRYABLE_CODES.has(error.code ?? '')) throw error;
        if (Date.now() + backoffMs > deadline) throw new GaveUpError(`${what}: no answer within ${this.giveUpMs} ms (last: ${String(error)})`);
      }
      await sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 3000);
    }
  }
}
