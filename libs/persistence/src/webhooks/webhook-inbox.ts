import { Injectable } from '@nestjs/common';
import { webhookJobFor, type WebhookProvider } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { Prisma } from '@prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import type { WebhookEvent } from './webhook-event.repository';

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
 * Where verified webhooks enter the system, in one SQL statement (atomic on its own): the events
 * not stored yet are inserted (the unique (provider, event id) decides, not a read before the
 * write), and for each one inserted, and only for those, an outbox row for its processing job
 * (`webhookJobFor`). An event of a type no worker acts on is stored already processed
 * (`ignored`), with no job. A redelivery, even at the same instant on another gateway replica,
 * writes nothing. Plain SQL through the pool: every webhook passes here, and one statement costs
 * a tenth of the Prisma transaction it replaces.
 */
@Injectable()
export class WebhookInbox {
  constructor(private readonly prisma: PrismaService) {}

  async record(provider: WebhookProvider, rawBody: string, received: ReceivedWebhookEvent[]): Promise<WebhookReceipt> {
    // One delivery naming one event twice stores it once.
    const unique = [...new Map(received.map((e) => [e.eventId, e])).values()];
    if (unique.length === 0) return { stored: [], duplicates: [] };
    const ids = unique.map(() => newId());
    const jobs = unique.map((e) => webhookJobFor(provider, e.eventType));
    const stored = await this.prisma.queryRows<WebhookReceipt['stored'][number]>(Prisma.sql`
      WITH incoming AS (
        SELECT * FROM unnest(${ids}::text[], ${unique.map((e) => e.eventId)}::text[], ${unique.map((e) => e.eventType)}::text[], ${jobs}::text[])
          WITH ORDINALITY AS t(id, event_id, event_type, job, ord)
      ), inserted AS (
        INSERT INTO webhook_events (id, provider, event_id, event_type, raw_body, processed_at, outcome, detail)
        SELECT i.id, ${provider}::"Provider", i.event_id, i.event_type, ${rawBody},
               CASE WHEN i.job IS NULL THEN now() END,
               CASE WHEN i.job IS NULL THEN 'ignored' END,
               CASE WHEN i.job IS NULL THEN 'no worker acts on ' || ${provider} || ' ' || i.event_type END
        FROM incoming i
        ON CONFLICT (provider, event_id) DO NOTHING
        RETURNING id, event_id, event_type, outcome
      ), jobs AS (
        INSERT INTO outbox (kind, name, payload)
        SELECT 'job'::"OutboxKind", i.job, jsonb_build_object('webhookEventId', n.id)
        FROM inserted n JOIN incoming i ON i.id = n.id
        WHERE i.job IS NOT NULL
      )
      SELECT n.id, n.event_id AS "eventId", n.event_type AS "eventType", n.outcome
      FROM inserted n JOIN incoming i ON i.id = n.id ORDER BY i.ord`);
    const storedIds = new Set(stored.map((e) => e.eventId));
    return { stored, duplicates: unique.filter((e) => !storedIds.has(e.eventId)).map((e) => e.eventId) };
  }
}
