/** A Stripe event as sent (`{id:'evt_…', object:'event', type, data, …}`). */
export interface StripeEventObject {
  id: string;
  object: 'event';
  type: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  [field: string]: unknown;
}

/** Every event Stripe raised, so `GET /v1/events/:id` can answer it, as Stripe keeps them. */
export class StripeEventStore {
  private readonly events = new Map<string, StripeEventObject>();

  constructor(private readonly capacity = 20_000) {}

  add(event: StripeEventObject): void {
    this.events.set(event.id, event);
    if (this.events.size > this.capacity) this.events.delete(this.events.keys().next().value as string);
  }

  get(id: string): StripeEventObject | undefined {
    return this.events.get(id);
  }

  /** Newest first. */
  list(type?: string): StripeEventObject[] {
    return [...this.events.values()].filter((event) => !type || event.type === type).reverse();
  }

  clear(): void {
    this.events.clear();
  }
}
