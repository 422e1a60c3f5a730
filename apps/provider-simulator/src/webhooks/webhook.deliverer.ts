import { setTimeout as wait } from 'node:timers/promises';
import { randomId } from '../shared/random-id';
import type { ProviderName } from '../shared/provider-name';
import type { WebhookDeliveryLogStore, WebhookDeliveryRecord } from '../state/webhook-delivery-log.store';
import { DEFAULT_DELIVERY_POLICY, type WebhookDeliveryPolicy } from './webhook-delivery.policy';
import type { WebhookSigner } from './webhook-signer';

export interface WebhookRetryOptions {
  /** Attempts per copy, the first included. */
  maxAttempts: number;
  /** Wait before the second attempt; doubles after each failure. */
  baseDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryOptions = { maxAttempts: 5, baseDelayMs: 500, timeoutMs: 10_000 };

const USER_AGENTS: Record<ProviderName, string> = {
  stripe: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  telnyx: 'telnyx-webhooks',
  meta: 'facebookexternalua',
};

export interface WebhookDelivererOptions {
  /** Base URL of the receiver; events go to `${targetBaseUrl}/webhooks/{provider}`. */
  targetBaseUrl: string;
  signers: readonly WebhookSigner[];
  log: WebhookDeliveryLogStore;
  retry?: Partial<WebhookRetryOptions>;
  random?: () => number;
}

/**
 * Sends signed webhooks to the gateway the way each provider does: signed per attempt, retried
 * with exponential backoff until a 2xx, and bent by the delivery policy (delay, duplicates,
 * shuffled batches) so tests can play at-least-once, out-of-order delivery.
 */
export class WebhookDeliverer {
  private policy: WebhookDeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY };
  private readonly retry: WebhookRetryOptions;
  private readonly signers: Map<ProviderName, WebhookSigner>;
  private readonly closing = new AbortController();
  private readonly random: () => number;

  constructor(private readonly options: WebhookDelivererOptions) {
    this.retry = { ...DEFAULT_WEBHOOK_RETRY, ...options.retry };
    this.signers = new Map(options.signers.map((signer) => [signer.provider, signer]));
    this.random = options.random ?? Math.random;
  }

  getPolicy(): WebhookDeliveryPolicy {
    return { ...this.policy };
  }

  setPolicy(update: Partial<WebhookDeliveryPolicy>): WebhookDeliveryPolicy {
    this.policy = { ...this.policy, ...update };
    return this.getPolicy();
  }

  resetPolicy(): void {
    this.policy = { ...DEFAULT_DELIVERY_POLICY };
  }

  /** Delivers one event (every copy of it, concurrently); resolves with one record per copy. */
  async deliver(
    provider: ProviderName,
    event: unknown,
    override: Partial<WebhookDeliveryPolicy> = {},
  ): Promise<WebhookDeliveryRecord[]> {
    const policy = { ...this.policy, ...override };
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    if (policy.delayMs > 0 && !(await this.pause(policy.delayMs))) return [];
    const copies = Array.from({ length: Math.max(1, policy.copies) }, (_, i) => i + 1);
    return Promise.all(copies.map((copy) => this.deliverCopy(provider, body, copy)));
  }

  /** Delivers events one after another, in the given order or shuffled. */
  async deliverBatch(
    provider: ProviderName,
    events: readonly unknown[],
    override: Partial<WebhookDeliveryPolicy> = {},
  ): Promise<WebhookDeliveryRecord[]> {
    const policy = { ...this.policy, ...override };
    const ordered = policy.shuffle ? shuffled(events, this.random) : [...events];
    const records: WebhookDeliveryRecord[] = [];
    for (const event of ordered) records.push(...(await this.deliver(provider, event, policy)));
    return records;
  }

  /** Stops waits and in-flight attempts; pending deliveries end undelivered. */
  close(): void {
    this.closing.abort();
  }

  private async deliverCopy(provider: ProviderName, body: string, copy: number): Promise<WebhookDeliveryRecord> {
    const signer = this.signers.get(provider);
    if (!signer) throw new Error(`no webhook signer for ${provider}`);
    const record: WebhookDeliveryRecord = {
      id: randomId('whd_', 12),
      provider,
      url: `${this.options.targetBaseUrl.replace(/\/$/, '')}/webhooks/${provider}`,
      copy,
      attempts: 0,
      lastStatus: null,
      delivered: false,
      error: null,
      at: new Date().toISOString(),
    };
    while (record.attempts < this.retry.maxAttempts && !this.closing.signal.aborted) {
      if (record.attempts > 0 && !(await this.pause(this.retry.baseDelayMs * 2 ** (record.attempts - 1)))) break;
      record.attempts += 1;
      try {
        const response = await fetch(record.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': USER_AGENTS[provider], ...signer.sign(body, new Date()) },
          body,
          signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.retry.timeoutMs)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        record.lastStatus = response.status;
        record.error = response.ok ? null : `HTTP ${response.status}`;
        if (response.ok) {
          record.delivered = true;
          break;
        }
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
    }
    if (!record.delivered && this.closing.signal.aborted) record.error = 'simulator closed';
    this.options.log.append(record);
    return record;
  }

  /** Waits `ms`; false when the deliverer closed meanwhile. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await wait(ms, undefined, { signal: this.closing.signal });
      return true;
    } catch {
      return false;
    }
  }
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
