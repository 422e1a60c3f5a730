import { setTimeout as wait } from 'node:timers/promises';
import type { LatencySampler } from '../latency/latency-profile';
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

/** Where and how often one copy of an event is being delivered. */
export interface WebhookAttempt {
  /** 1 for the first attempt of a copy. */
  attempt: number;
  url: string;
}

/**
 * An event: a JSON value (or a ready string), or a function rendering it per attempt, for
 * providers whose body names the attempt (Telnyx's `meta.attempt`, `meta.delivered_to`).
 */
export type WebhookEvent = unknown | ((attempt: WebhookAttempt) => unknown);

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
  /** The latency profile: each event waits its drawn delay before its first copy leaves. */
  latency?: LatencySampler;
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
  /** Replaced by `cancelPending()`: deliveries started before it stop, later ones go on. */
  private generation = new AbortController();
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
    event: WebhookEvent,
    override: Partial<WebhookDeliveryPolicy> = {},
  ): Promise<WebhookDeliveryRecord[]> {
    return this.deliverUntil(this.stopSignal(), provider, event, { ...this.policy, ...override });
  }

  /** Delivers events one after another, in the given order or shuffled. */
  async deliverBatch(
    provider: ProviderName,
    events: readonly WebhookEvent[],
    override: Partial<WebhookDeliveryPolicy> = {},
  ): Promise<WebhookDeliveryRecord[]> {
    const policy = { ...this.policy, ...override };
    const stop = this.stopSignal();
    const ordered = policy.shuffle ? shuffled(events, this.random) : [...events];
    const records: WebhookDeliveryRecord[] = [];
    for (const event of ordered) {
      if (stop.aborted) break;
      records.push(...(await this.deliverUntil(stop, provider, event, policy)));
    }
    return records;
  }

  /** Stops waits and in-flight attempts; pending deliveries end undelivered. */
  close(): void {
    this.closing.abort();
  }

  /** Abandons every delivery in flight (a reset: old events must not arrive later); new ones go on. */
  cancelPending(): void {
    this.generation.abort();
    this.generation = new AbortController();
  }

  private stopSignal(): AbortSignal {
    return AbortSignal.any([this.closing.signal, this.generation.signal]);
  }

  private async deliverUntil(stop: AbortSignal, provider: ProviderName, event: WebhookEvent, policy: WebhookDeliveryPolicy): Promise<WebhookDeliveryRecord[]> {
    const fixed = typeof event === 'function' ? null : toBody(event);
    const body = (attempt: WebhookAttempt): string => fixed ?? toBody((event as (a: WebhookAttempt) => unknown)(attempt));
    const latency = this.options.latency;
    const latencyMs = latency && !latency.instant ? latency.webhook(provider, describeEvent(body({ attempt: 1, url: '' })).eventType) : 0;
    if (latencyMs > 0 && !(await this.pause(latencyMs, stop))) return [];
    if (policy.delayMs > 0 && !(await this.pause(policy.delayMs, stop))) return [];
    const copies = Array.from({ length: Math.max(1, policy.copies) }, (_, i) => i + 1);
    return Promise.all(copies.map((copy) => this.deliverCopy(stop, provider, body, copy)));
  }

  private async deliverCopy(
    stop: AbortSignal,
    provider: ProviderName,
    body: (attempt: WebhookAttempt) => string,
    copy: number,
  ): Promise<WebhookDeliveryRecord> {
    const signer = this.signers.get(provider);
    if (!signer) throw new Error(`no webhook signer for ${provider}`);
    const record: WebhookDeliveryRecord = {
      id: randomId('whd_', 12),
      provider,
      url: `${this.options.targetBaseUrl.replace(/\/$/, '')}/webhooks/${provider}`,
      copy,
      ...describeEvent(body({ attempt: 1, url: '' })),
      attempts: 0,
      lastStatus: null,
      delivered: false,
      error: null,
      at: new Date().toISOString(),
    };
    while (record.attempts < this.retry.maxAttempts && !stop.aborted) {
      if (record.attempts > 0 && !(await this.pause(this.retry.baseDelayMs * 2 ** (record.attempts - 1), stop))) break;
      record.attempts += 1;
      const payload = body({ attempt: record.attempts, url: record.url });
      try {
        const response = await fetch(record.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': USER_AGENTS[provider], ...signer.sign(payload, new Date()) },
          body: payload,
          signal: AbortSignal.any([stop, AbortSignal.timeout(this.retry.timeoutMs)]),
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
    const cancelledByReset = stop.aborted && !this.closing.signal.aborted;
    if (!record.delivered && stop.aborted) record.error = cancelledByReset ? 'cancelled by reset' : 'simulator closed';
    if (!cancelledByReset) this.options.log.append(record); // the log was wiped with the state it belonged to
    return record;
  }

  /** Waits `ms`; false when stopped meanwhile. */
  private async pause(ms: number, stop: AbortSignal): Promise<boolean> {
    try {
      await wait(ms, undefined, { signal: stop });
      return true;
    } catch {
      return false;
    }
  }
}

/** The event's id and type as each provider names them, for the delivery log. */
function describeEvent(body: string): { eventId: string | null; eventType: string | null } {
  try {
    const parsed = JSON.parse(body) as { id?: unknown; type?: unknown; data?: { id?: unknown; event_type?: unknown }; object?: unknown };
    const id = parsed.data?.id ?? parsed.id;
    const type = parsed.data?.event_type ?? parsed.type ?? parsed.object;
    return { eventId: typeof id === 'string' ? id : null, eventType: typeof type === 'string' ? type : null };
  } catch {
    return { eventId: null, eventType: null };
  }
}

function toBody(event: unknown): string {
  return typeof event === 'string' ? event : JSON.stringify(event);
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
