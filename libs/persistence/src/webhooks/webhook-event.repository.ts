import { Injectable } from '@nestjs/common';
import type { WebhookProvider } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { Prisma, type WebhookEvent } from '@prisma/client';
import { PrismaService, runSql, type SqlTx, type PrismaTx } from '../prisma/prisma.service';

export type { WebhookEvent };

/** What the gateway stores of one verified provider event. */
export interface NewWebhookEvent {
  provider: WebhookProvider;
  eventId: string;
  eventType: string;
  /** The body exactly as received and verified (every event of one delivery shares it). */
  rawBody: string;
  /** Set when no worker acts on the type: stored already processed, `ignored` for this reason. */
  ignoredBecause?: string;
}

/** How processing a stored event ended: `applied`, `ignored` or `failed`, with why. */
export type WebhookOutcome = 'applied' | 'ignored' | 'failed';

/** `webhook_events`: every provider event, stored once by (provider, event id). */
@Injectable()
export class WebhookEventRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts the events not stored yet and returns only those: one `INSERT … ON CONFLICT
   * (provider, event_id) DO NOTHING RETURNING`, so of two deliveries racing with the same event
   * exactly one gets the row back, whatever the interleaving.
   */
  insertNew(events: NewWebhookEvent[], tx?: PrismaTx): Promise<WebhookEvent[]> {
    if (events.length === 0) return Promise.resolve([]);
    return (tx ?? this.prisma).webhookEvent.createManyAndReturn({
      data: events.map((e) => ({
        id: newId(),
        provider: e.provider,
        eventId: e.eventId,
        eventType: e.eventType,
        rawBody: e.rawBody,
        ...(e.ignoredBecause ? { processedAt: new Date(), outcome: 'ignored', detail: e.ignoredBecause } : {}),
      })),
      skipDuplicates: true,
    });
  }

  findById(id: string, tx?: PrismaTx): Promise<WebhookEvent | null> {
    return (tx ?? this.prisma).webhookEvent.findUnique({ where: { id } });
  }

  findByEventId(provider: WebhookProvider, eventId: string, tx?: PrismaTx): Promise<WebhookEvent | null> {
    return (tx ?? this.prisma).webhookEvent.findUnique({ where: { provider_eventId: { provider, eventId } } });
  }

  /**
   * The event, locked (`FOR UPDATE`) until `tx` ends: a second run of the same job waits here,
   * then sees it processed.
   */
  async lockForProcessing(tx: SqlTx, id: string): Promise<WebhookEvent | null> {
    // One round trip: Prisma has no FOR UPDATE, and every processed event passes here.
    const [row] = await runSql<WebhookEvent>(
      tx,
      Prisma.sql`SELECT id, provider::text AS provider, event_id AS "eventId", event_type AS "eventType", raw_body AS "rawBody",
             received_at AS "receivedAt", processed_at AS "processedAt", outcome, detail
      FROM webhook_events WHERE id = ${id} FOR UPDATE`,
    );
    return row ?? null;
  }

  /** The event's type, unlocked (it never changes), or null when there is no such event. */
  async typeOf(id: string): Promise<string | null> {
    const [row] = await this.prisma.queryRows<{ eventType: string }>(Prisma.sql`SELECT event_type AS "eventType" FROM webhook_events WHERE id = ${id}`);
    return row?.eventType ?? null;
  }

  /**
   * Marks the event processed unless it already is; false when it was (a concurrent run won).
   * Within the processing transaction this commits together with the handler's own writes.
   */
  async markProcessed(id: string, outcome: WebhookOutcome, detail: string | null, tx?: SqlTx): Promise<boolean> {
    const marked = await this.prisma.queryRows(
      Prisma.sql`UPDATE webhook_events SET processed_at = now(), outcome = ${outcome}, detail = ${detail}
        WHERE id = ${id} AND processed_at IS NULL RETURNING id`,
      tx,
    );
    return marked.length === 1;
  }
}
