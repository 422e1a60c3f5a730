import type { WebhookEventRef, WebhookProvider } from '@numbers/contracts';
import type { Tx } from '@numbers/persistence';
import type { JobContext } from '../handlers/handles-job';

/** A stored webhook event handed to its per-type handler: the provider's event, parsed. */
export type StoredWebhookEvent<P extends WebhookProvider = WebhookProvider> = WebhookEventRef<P> & {
  /** The `webhook_events` row. */
  webhookEventId: string;
  receivedAt: Date;
};

export interface WebhookEventContext {
  /**
   * The processing transaction. Write through it (repositories and `NumberLifecycle.apply` take
   * it): your writes commit together with the event being marked processed, or not at all.
   */
  tx: Tx;
  /** `webhook:<provider>:<event id>`: the cause to record in history rows. */
  cause: string;
  /** The job processing the event (id, attempt). */
  job: JobContext;
}

/** What a handler reports; nothing means `applied`. */
export interface WebhookHandlerResult {
  outcome: 'applied' | 'ignored';
  /** Stored in `webhook_events.detail`: why it was ignored, what it changed. */
  detail?: string;
}

/**
 * The work of one provider event type, in the worker that owns it (see `webhookJobFor`). Runs
 * at most once per stored event to completion: its writes through `ctx.tx` commit with the
 * event's `processedAt`. It may still run again after a rollback (a retry). It calls no provider:
 * the transaction (and the event's lock) is open while it runs, so it records the fact and writes
 * an outbox job that makes the call.
 *
 * Throw to fail: `GiveUpError` (or any error with `retryable: false`) marks the event `failed`
 * with the message; any other error rolls back and is retried by BullMQ.
 */
export interface HandlesWebhookEvent<P extends WebhookProvider = WebhookProvider> {
  handle(event: StoredWebhookEvent<P>, ctx: WebhookEventContext): Promise<WebhookHandlerResult | void>;
}

export type WebhookEventHandlerInstance<P extends WebhookProvider = WebhookProvider> = HandlesWebhookEvent<P>;
