import { Injectable } from '@nestjs/common';
import { sql, type InsertObject } from 'kysely';
import { Database } from '../database/database';
import { deleteInBatches } from '../database/delete-in-batches';
import type { DB } from '../database/schema.generated';
import type { CustomerEvent, WebhookDeliveryLog, WebhookEndpoint } from '../database/rows';

/** How one attempt ended, for the log and for the endpoint's standing. */
export type DeliveryVerdict =
  /** 2xx: the endpoint's failure streak ends. */
  | 'delivered'
  /** Failed, and not for good: another attempt follows, or it was a test. */
  | 'failed'
  /** Failed on the last attempt of the schedule: a terminal failure of the endpoint. */
  | 'gave_up';

export interface DeliveryAttempt {
  endpoint: Pick<WebhookEndpoint, 'id' | 'accountId' | 'name' | 'url'>;
  event: DeliveryEvent;
  statusCode: number | null;
  responseBody: string | null;
  errorMessage: string | null;
  responseTimeMs: number;
  at: Date;
}

/** What an attempt sends, and logs. */
export type DeliveryEvent = Pick<CustomerEvent, 'id' | 'type' | 'payload'>;

/** What an attempt needs of its endpoint. */
export type DeliveryEndpoint = Pick<WebhookEndpoint, 'id' | 'accountId' | 'name' | 'url' | 'isActive' | 'secretSealed' | 'customHeaders'>;

/** What recording an attempt did. */
export interface RecordedAttempt {
  /** 1 for the event's first attempt to this endpoint; retries and redeliveries number on. */
  attemptNumber: number;
  /** Why the endpoint was disabled by this attempt, or null. */
  disabled: string | null;
}

/** The endpoint's standing after a terminal failure: what the disable rule decides on. */
export interface EndpointStanding {
  failureCount: number;
  failingSince: Date | null;
  lastFiredAt: Date | null;
  createdAt: Date;
  isActive: boolean;
}

export interface LogFilter {
  webhookId?: string;
  event?: string;
  eventId?: string;
  status?: 'success' | 'failed';
  limit: number;
  skip: number;
}

/**
 * How far `last_fired_at` may lag the last success. Every delivery to an endpoint would
 * otherwise write its one row: the deliveries to a busy endpoint would queue on that row's lock,
 * one commit after another (`npm run bench -- deliveries`, docs/performance.md). A success that
 * ends a failure streak always writes it.
 */
export const LAST_FIRED_AT_RESOLUTION_MS = 1000;

/**
 * Delivery attempts: each one's log row (`webhook_delivery_logs`, the SDK's `WebhookLog`) and
 * what it does to its endpoint's standing (`failure_count`, `last_fired_at`, disabled), written
 * together: in one statement, or in one transaction after a terminal failure (the disable rule
 * decides on the standing it returns).
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly db: Database) {}

  /**
   * Records the attempt, numbered after the attempts already logged for this event and endpoint.
   * After a terminal failure, `disableFor(standing)` says why the endpoint must be disabled now,
   * or null; when it does, the endpoint is disabled in the same transaction and the reason ends
   * the log's error message.
   */
  /**
   * The endpoint and the event of one delivery, in one read (a delivery is a few statements in
   * all): null when the endpoint is gone, `event` null when the event was pruned.
   */
  async findDelivery(webhookId: string, eventId: string): Promise<{ endpoint: DeliveryEndpoint; event: DeliveryEvent | null } | null> {
    const row = await this.db
      .selectFrom('webhookEndpoints as w')
      .leftJoin('customerEvents as e', (join) => join.on('e.id', '=', eventId))
      .select(['w.id', 'w.accountId', 'w.name', 'w.url', 'w.isActive', 'w.secretSealed', 'w.customHeaders', 'e.id as eventId', 'e.type as eventType', 'e.payload as eventPayload'])
      .where('w.id', '=', webhookId)
      .executeTakeFirst();
    if (!row) return null;
    const { eventId: foundId, eventType, eventPayload, ...endpoint } = row;
    return { endpoint, event: foundId === null || eventType === null ? null : { id: foundId, type: eventType, payload: eventPayload } };
  }

  async record(attempt: DeliveryAttempt, verdict: DeliveryVerdict, disableFor: (standing: EndpointStanding) => string | null): Promise<RecordedAttempt> {
    if (verdict === 'gave_up') return this.recordTerminalFailure(attempt, disableFor);
    const logged =
      verdict === 'failed'
        ? this.db.insertInto('webhookDeliveryLogs')
        : this.db
            .with('endpoint', (db) =>
              db
                .updateTable('webhookEndpoints')
                .set({ failureCount: 0, failingSince: null, lastFiredAt: attempt.at })
                .where('id', '=', attempt.endpoint.id)
                .where(sql<boolean>`(failure_count <> 0 OR failing_since IS NOT NULL OR last_fired_at IS NULL OR last_fired_at < ${new Date(attempt.at.getTime() - LAST_FIRED_AT_RESOLUTION_MS)})`),
            )
            .insertInto('webhookDeliveryLogs');
    const row = await logged.values(logRow(attempt, verdict, null)).returning('attemptNumber').executeTakeFirstOrThrow();
    return { attemptNumber: row.attemptNumber, disabled: null };
  }

  private recordTerminalFailure(attempt: DeliveryAttempt, disableFor: (standing: EndpointStanding) => string | null): Promise<RecordedAttempt> {
    return this.db.transaction().execute(async (tx) => {
      const standing = await tx
        .updateTable('webhookEndpoints')
        .set({ failureCount: sql`failure_count + 1`, failingSince: sql`coalesce(failing_since, ${attempt.at})` })
        .where('id', '=', attempt.endpoint.id)
        .returning(['failureCount', 'failingSince', 'lastFiredAt', 'createdAt', 'isActive'])
        .executeTakeFirst();
      const disabled = standing?.isActive ? disableFor(standing) : null;
      if (disabled) {
        await tx.updateTable('webhookEndpoints').set({ isActive: false, disabledReason: disabled, updatedAt: attempt.at }).where('id', '=', attempt.endpoint.id).execute();
      }
      const row = await tx.insertInto('webhookDeliveryLogs').values(logRow(attempt, 'gave_up', disabled)).returning('attemptNumber').executeTakeFirstOrThrow();
      return { attemptNumber: row.attemptNumber, disabled };
    });
  }

  /** One page of the account's delivery log, newest first, and how many match in all. */
  async list(accountId: string, filter: LogFilter): Promise<{ logs: WebhookDeliveryLog[]; total: number }> {
    const matching = this.db
      .selectFrom('webhookDeliveryLogs')
      .where('accountId', '=', accountId)
      .$if(filter.webhookId !== undefined, (q) => q.where('webhookId', '=', filter.webhookId as string))
      .$if(filter.event !== undefined, (q) => q.where('event', '=', filter.event as string))
      .$if(filter.eventId !== undefined, (q) => q.where('eventId', '=', filter.eventId as string))
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as string));
    const [logs, count] = await Promise.all([
      matching.selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.skip).execute(),
      matching.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { logs, total: Number(count.total) };
  }

  /**
   * Deletes delivery logs and customer events created before `before`, `batch` rows per
   * statement (short statements: no long lock, no bloat burst). Returns how many of each.
   */
  async prune(before: Date, batch: number): Promise<{ logs: number; events: number }> {
    const logs = await deleteInBatches(batch, () =>
      this.db
        .deleteFrom('webhookDeliveryLogs')
        .where('id', 'in', (eb) => eb.selectFrom('webhookDeliveryLogs').select('id').where('createdAt', '<', before).limit(batch))
        .executeTakeFirst(),
    );
    const events = await deleteInBatches(batch, () =>
      this.db
        .deleteFrom('customerEvents')
        .where('id', 'in', (eb) => eb.selectFrom('customerEvents').select('id').where('createdAt', '<', before).limit(batch))
        .executeTakeFirst(),
    );
    return { logs, events };
  }
}

/** The attempt's log row, numbered after the attempts logged before it (by `webhook_delivery_logs_event_id_idx`). */
function logRow(attempt: DeliveryAttempt, verdict: DeliveryVerdict, disabled: string | null): InsertObject<DB, 'webhookDeliveryLogs'> {
  const failed = verdict !== 'delivered';
  return {
    accountId: attempt.endpoint.accountId,
    webhookId: attempt.endpoint.id,
    webhookName: attempt.endpoint.name,
    eventId: attempt.event.id,
    event: attempt.event.type,
    url: attempt.endpoint.url,
    status: failed ? 'failed' : 'success',
    statusCode: attempt.statusCode,
    requestPayload: JSON.stringify(attempt.event.payload),
    responseBody: attempt.responseBody,
    errorMessage: failed ? [attempt.errorMessage ?? `HTTP ${attempt.statusCode}`, disabled && `endpoint disabled: ${disabled}`].filter(Boolean).join('; ') : null,
    attemptNumber: sql<number>`coalesce((SELECT max(attempt_number) FROM webhook_delivery_logs WHERE event_id = ${attempt.event.id} AND webhook_id = ${attempt.endpoint.id}), 0) + 1`,
    responseTimeMs: attempt.responseTimeMs,
    createdAt: attempt.at,
  };
}
