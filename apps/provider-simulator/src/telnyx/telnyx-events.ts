import { randomUUID } from 'node:crypto';
import type { WebhookAttempt } from '../webhooks/webhook.deliverer';
import type { WebhookDispatcher } from '../webhooks/webhook.dispatcher';

/**
 * Telnyx API v2 webhooks: `{data:{event_type, id, occurred_at, payload, record_type:'event'},
 * meta:{attempt, delivered_to}}`, rendered per attempt so `meta.attempt` counts retries as
 * Telnyx's does. The event id stays the same across attempts and copies.
 */
export class TelnyxEvents {
  constructor(private readonly dispatcher: WebhookDispatcher) {}

  send(eventType: string, payload: Record<string, unknown>): string {
    const id = randomUUID();
    const data = { event_type: eventType, id, occurred_at: new Date().toISOString(), payload: structuredClone(payload), record_type: 'event' };
    this.dispatcher.dispatch('telnyx', [({ attempt, url }: WebhookAttempt) => ({ data, meta: { attempt, delivered_to: url } })]);
    return id;
  }
}
