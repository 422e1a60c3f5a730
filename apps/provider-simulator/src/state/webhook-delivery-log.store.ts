import type { ProviderName } from '../shared/provider-name';

export interface WebhookDeliveryRecord {
  id: string;
  provider: ProviderName;
  url: string;
  /** The provider's event id and type (`evt_…`/`invoice.paid`, Telnyx `data.id`/`data.event_type`). */
  eventId: string | null;
  eventType: string | null;
  /** 1-based copy number when an event is duplicated. */
  copy: number;
  attempts: number;
  /** HTTP status of the last attempt; null when it never got an answer. */
  lastStatus: number | null;
  delivered: boolean;
  error: string | null;
  at: string;
}

/** Every webhook the simulator sent, for `GET /_sim/state` and tests. */
export class WebhookDeliveryLogStore {
  private records: WebhookDeliveryRecord[] = [];
  /** Attempts of every webhook since the last clear, past the cap too (what benchmarks count). */
  private attemptsMade = 0;

  constructor(private readonly capacity = 5_000) {}

  append(record: WebhookDeliveryRecord): void {
    this.attemptsMade += record.attempts;
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
  }

  list(): WebhookDeliveryRecord[] {
    return [...this.records];
  }

  attempts(): number {
    return this.attemptsMade;
  }

  clear(): void {
    this.records = [];
    this.attemptsMade = 0;
  }
}
