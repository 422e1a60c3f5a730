import { Injectable } from '@nestjs/common';
import { jobRequest, webhookJobFor, type WebhookProvider } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { cte } from '../database/cte';
import { Database } from '../database/database';
import type { WebhookEvent } from '../database/rows';
import { outboxInsertForRows } from '../outbox/outbox.repository';
import { insertNewEvents } from './webhook-event.repository';

export interface ReceivedWebhookEvent {
  eventId: string;
  eventType: string;
}

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
}
