import { Injectable } from '@nestjs/common';
import { jobRequest, webhookJobFor, type WebhookProvider } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { cte } from '../database/cte';
import { Database } from '../database/database';
import type { WebhookEvent } from '../database/rows';
import { outboxInsert, outboxInsertForRows } from '../outbox/outbox.repository';
import { insertNewEvents } from './webhook-event.repository';

export interface ReceivedWebhookEvent {
  eventId: string;
  eventType: string;
}

/** What `reprocess` did: queued the event's job again, or found no such event or no job for its type. */
export type Reprocessing =
  | { kind: 'queued'; event: Pick<WebhookEvent, 'id' | 'provider' | 'eventId' | 'eventType'>; previousOutcome: string | null; job: string }
  | { kind: 'not_found' }
  | { kind: 'not_routed'; eventType: string };

export interface WebhookReceipt {
  /** Events stored by this delivery: each routed one with its processing job in the outbox, the
   *  others already marked `ignored`. */
  stored: Pick<WebhookEvent, 'id' | 'eventId' | 'eventType' | 'outcome'>[];
  /** Events of this delivery that were already stored (a redelivery): nothing was written. */
  duplicates: string[];
}

/**
 * Where verified webhooks enter the system, in one statement: the events not stored yet are
 * inserted (the unique (provider, event id) decides, not a read before the write), and for each
 * one inserted, and only for those, the outbox gets its processing job (`webhookJobFor`), written
 * by the same outbox insert as every other job (a CTE of the same statement). An event of a type no worker acts on is stored
 * already processed (`ignored`), with no job. A redelivery, even at the same instant on another
 * gateway replica, writes nothing.
 */
@Injectable()
export class WebhookInbox {
  constructor(private readonly db: Database) {}

  async record(provider: WebhookProvider, rawBody: string, received: ReceivedWebhookEvent[]): Promise<WebhookReceipt> {
    // One delivery naming one event twice stores it once.
    const unique = [...new Map(received.map((e) => [e.eventId, e])).values()];
    if (unique.length === 0) return { stored: [], duplicates: [] };
    const candidates = unique.map((e) => {
      const job = webhookJobFor(provider, e.eventType);
      return { id: newId(), provider, eventId: e.eventId, eventType: e.eventType, rawBody, job, ignoredBecause: job ? undefined : `no worker acts on ${provider} ${e.eventType}` };
    });
    const jobs = candidates.flatMap((e) => (e.job ? [{ key: e.id, job: jobRequest(e.job, { webhookEventId: e.id }) }] : []));
    const stored = await this.db
      .with('inserted', (db) => insertNewEvents(db, candidates))
      .with('outbox', () => cte(outboxInsertForRows('inserted', jobs)))
      .selectFrom('inserted')
      .selectAll()
      .execute();
    const storedIds = new Set(stored.map((e) => e.eventId));
    return {
      stored: stored.map(({ id, eventId, eventType, outcome }) => ({ id, eventId, eventType, outcome })),
      duplicates: unique.filter((e) => !storedIds.has(e.eventId)).map((e) => e.eventId),
    };
  }

  /**
   * An operator's re-run of a stored event through its processing job (`webhook:reprocess`): in
   * one transaction the event is locked (a run in progress finishes first), made processable again
   * (`processed_at`, `outcome`, `detail` cleared) and its job written to the outbox, as `record`
   * does for a new event. Its handlers run again on the stored body: every one is idempotent, so
   * an event that was applied changes nothing twice.
   */
  reprocess(id: string): Promise<Reprocessing> {
    return this.db.transaction().execute(async (tx): Promise<Reprocessing> => {
      const event = await tx.selectFrom('webhookEvents').select(['id', 'provider', 'eventId', 'eventType', 'outcome']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!event) return { kind: 'not_found' };
      const job = webhookJobFor(event.provider, event.eventType);
      if (!job) return { kind: 'not_routed', eventType: event.eventType };
      await tx.updateTable('webhookEvents').set({ processedAt: null, outcome: null, detail: null }).where('id', '=', id).execute();
      await outboxInsert([jobRequest(job, { webhookEventId: id })], []).execute(tx);
      const { outcome, ...stored } = event;
      return { kind: 'queued', event: stored, previousOutcome: outcome, job };
    });
  }
}
