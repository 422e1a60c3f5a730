import { Injectable } from '@nestjs/common';
import { jobRequest, webhookJobFor, type JobRequest, type WebhookProvider } from '@numbers/contracts';
import { Database } from '../database/database';
import type { WebhookEvent } from '../database/rows';
import { OutboxRepository } from '../outbox/outbox.repository';
import { WebhookEventRepository } from './webhook-event.repository';

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
 * Where verified webhooks enter the system, in one transaction: the events not stored yet are
 * inserted (the unique (provider, event id) decides, not a read before the write), and for each
 * one inserted, and only for those, the outbox gets its processing job (`webhookJobFor`), written
 * by the same outbox insert as every other job. An event of a type no worker acts on is stored
 * already processed (`ignored`), with no job. A redelivery, even at the same instant on another
 * gateway replica, writes nothing.
 */
@Injectable()
export class WebhookInbox {
  constructor(
    private readonly db: Database,
    private readonly events: WebhookEventRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async record(provider: WebhookProvider, rawBody: string, received: ReceivedWebhookEvent[]): Promise<WebhookReceipt> {
    // One delivery naming one event twice stores it once.
    const unique = [...new Map(received.map((e) => [e.eventId, e])).values()];
    if (unique.length === 0) return { stored: [], duplicates: [] };
    const stored = await this.db.transaction().execute(async (tx) => {
      const inserted = await this.events.insertNew(
        unique.map((e) => ({
          provider,
          eventId: e.eventId,
          eventType: e.eventType,
          rawBody,
          ignoredBecause: webhookJobFor(provider, e.eventType) ? undefined : `no worker acts on ${provider} ${e.eventType}`,
        })),
        tx,
      );
      await this.outbox.add(tx, inserted.flatMap((e) => processingJobOf(provider, e)));
      return inserted;
    });
    const storedIds = new Set(stored.map((e) => e.eventId));
    return {
      stored: stored.map(({ id, eventId, eventType, outcome }) => ({ id, eventId, eventType, outcome })),
      duplicates: unique.filter((e) => !storedIds.has(e.eventId)).map((e) => e.eventId),
    };
  }
}

/** The job that processes a stored event, none for a type no worker acts on. */
function processingJobOf(provider: WebhookProvider, event: Pick<WebhookEvent, 'id' | 'eventType'>): JobRequest[] {
  const job = webhookJobFor(provider, event.eventType);
  return job ? [jobRequest(job, { webhookEventId: event.id })] : [];
}
