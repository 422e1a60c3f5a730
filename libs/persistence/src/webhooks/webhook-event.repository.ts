import { Injectable } from '@nestjs/common';
import type { WebhookProvider } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { sql, type QueryCreator } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { DB } from '../database/schema.generated';
import type { WebhookEvent } from '../database/rows';

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

/**
 * `INSERT … ON CONFLICT (provider, event_id) DO NOTHING RETURNING *` of the events, each under
 * the id given: of two deliveries racing with the same event exactly one gets the row back,
 * whatever the interleaving. A statement of its own or a CTE (`db`: the database, a transaction
 * or a CTE's query creator).
 */
export function insertNewEvents(db: QueryCreator<DB>, events: Array<NewWebhookEvent & { id: string }>) {
  return db
    .insertInto('webhookEvents')
    .values(
      events.map((e) => ({
        id: e.id,
        provider: e.provider,
        eventId: e.eventId,
        eventType: e.eventType,
        rawBody: e.rawBody,
        ...(e.ignoredBecause ? { processedAt: sql<Date>`now()`, outcome: 'ignored', detail: e.ignoredBecause } : {}),
      })),
    )
    .onConflict((oc) => oc.columns(['provider', 'eventId']).doNothing())
    .returningAll();
}

/** How processing a stored event ended: `applied`, `ignored` or `failed`, with why. */
export type WebhookOutcome = 'applied' | 'ignored' | 'failed';

/** `webhook_events`: every provider event, stored once by (provider, event id). */
@Injectable()
export class WebhookEventRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the events not stored yet and returns only those (`insertNewEvents`). */
  async insertNew(events: NewWebhookEvent[], tx?: Tx): Promise<WebhookEvent[]> {
    if (events.length === 0) return [];
    return insertNewEvents(tx ?? this.db, events.map((e) => ({ ...e, id: newId() }))).execute();
  }

  findById(id: string, tx?: Tx): Promise<WebhookEvent | undefined> {
    return (tx ?? this.db).selectFrom('webhookEvents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEventId(provider: WebhookProvider, eventId: string, tx?: Tx): Promise<WebhookEvent | undefined> {
    return (tx ?? this.db).selectFrom('webhookEvents').selectAll().where('provider', '=', provider).where('eventId', '=', eventId).executeTakeFirst();
  }

  /**
   * The event, locked (`FOR UPDATE`) until `tx` ends: a second run of the same job waits here,
   * then sees it processed.
   */
  lockForProcessing(tx: Tx, id: string): Promise<WebhookEvent | undefined> {
    return tx.selectFrom('webhookEvents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /**
   * Marks the event processed unless it already is; false when it was (a concurrent run won).
   * Within the processing transaction this commits together with the handler's own writes.
   */
  async markProcessed(id: string, outcome: WebhookOutcome, detail: string | null, tx?: Tx): Promise<boolean> {
    const marked = await (tx ?? this.db)
      .updateTable('webhookEvents')
      .set({ processedAt: sql<Date>`now()`, outcome, detail })
      .where('id', '=', id)
      .where('processedAt', 'is', null)
      .executeTakeFirst();
    return marked.numUpdatedRows === 1n;
  }
}
