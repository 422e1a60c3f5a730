import { randomId } from '../shared/random-id';
import type { SimClock } from '../state/sim-clock';
import type { StripeEventObject, StripeEventStore } from '../state/stripe-event.store';
import type { WebhookDispatcher } from '../webhooks/webhook.dispatcher';

/** The API version events are rendered in: the one stripe@23.1.0 pins (`Stripe.API_VERSION`). */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/** The API request that caused an event (`event.request`); both null for automatic events. */
export interface StripeEventCause {
  requestId: string | null;
  idempotencyKey: string | null;
}

export const AUTOMATIC_EVENT: StripeEventCause = { requestId: null, idempotencyKey: null };

/** Raises Stripe events: stored for `GET /v1/events/:id`, sent as signed webhooks in batches. */
export class StripeEvents {
  constructor(
    private readonly store: StripeEventStore,
    private readonly clock: SimClock,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** Collects the events of one action; `dispatch()` sends them together. */
  batch(cause: StripeEventCause = AUTOMATIC_EVENT): StripeEventBatch {
    return new StripeEventBatch((type, object, previous) => this.raise(cause, type, object, previous), (events) =>
      this.dispatcher.dispatch('stripe', events),
    );
  }

  private raise(
    cause: StripeEventCause,
    type: string,
    object: Record<string, unknown>,
    previousAttributes: Record<string, unknown> | undefined,
  ): StripeEventObject {
    const event: StripeEventObject = {
      id: randomId('evt_', 24),
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: this.clock.now(),
      data: previousAttributes ? { object, previous_attributes: previousAttributes } : { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: cause.requestId, idempotency_key: cause.idempotencyKey },
      type,
    };
    this.store.add(event);
    return event;
  }
}

export class StripeEventBatch {
  private readonly events: StripeEventObject[] = [];

  constructor(
    private readonly raise: (type: string, object: Record<string, unknown>, previous?: Record<string, unknown>) => StripeEventObject,
    private readonly send: (events: StripeEventObject[]) => void,
  ) {}

  /** Raises `type` about `object` as it is now (a snapshot, not a live reference). */
  add(type: string, object: Record<string, unknown>, previousAttributes?: Record<string, unknown>): void {
    this.events.push(this.raise(type, structuredClone(object), previousAttributes));
  }

  types(): string[] {
    return this.events.map((event) => event.type);
  }

  dispatch(): void {
    this.send(this.events.splice(0));
  }
}

/** The top-level fields of `before` that differ in `after`: Stripe's `previous_attributes`. */
export function previousAttributes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(before).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(after[key])));
}
