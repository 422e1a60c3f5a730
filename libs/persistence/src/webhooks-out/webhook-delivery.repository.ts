import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';
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
  event: Pick<CustomerEvent, 'id' | 'type' | 'payload'>;
  attemptNumber: number;
  statusCode: number | null;
  responseBody: string | null;
  errorMessage: string | null;
  responseTimeMs: number;
  at: Date;
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
 * Delivery attempts: each one's log row (`webhook_delivery_logs`, the SDK's `WebhookLog`) and
 * what it does to its endpoint's standing (`failure_count`, `last_fired_at`, disabled), written
 * together in one transaction.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly db: Database) {}

  /**
   * Records the attempt. After a terminal failure, `disableFor(standing)` says why the endpoint
   * must be disabled now, or null; when it does, the endpoint is disabled in the same transaction
   * and the reason ends the log's error message. Returns that reason.
   */
  async record(attempt: DeliveryAttempt, verdict: DeliveryVerdict, disableFor: (standing: EndpointStanding) => string | null): Promise<string | null> {
    return this.db.transaction().execute(async (tx) => {
      let disabled: string | null = null;
      const endpoints = tx.updateTable('webhookEndpoints').where('id', '=', attempt.endpoint.id);
      if (verdict === 'delivered') {
        await endpoints.set({ failureCount: 0, failingSince: null, lastFiredAt: attempt.at }).execute();
      } else if (verdict === 'gave_up') {
        const standing = await endpoints
          .set({ failureCount: sql`failure_count + 1`, failingSince: sql`coalesce(failing_since, ${attempt.at})` })
          .returning(['failureCount', 'failingSince', 'lastFiredAt', 'createdAt', 'isActive'])
          .executeTakeFirst();
        disabled = standing?.isActive ? disableFor(standing) : null;
        if (disabled) {
          await tx.updateTable('webhookEndpoints').set({ isActive: false, disabledReason: disabled, updatedAt: attempt.at }).where('id', '=', attempt.endpoint.id).execute();
        }
      }
      const failed = verdict !== 'delivered';
      await tx
        .insertInto('webhookDeliveryLogs')
        .values({
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
          attemptNumber: attempt.attemptNumber,
          responseTimeMs: attempt.responseTimeMs,
          createdAt: attempt.at,
        })
        .execute();
      return disabled;
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

  /** The attempts already made to deliver this event to this endpoint: a redelivery numbers on from them. */
  async attemptsMade(webhookId: string, eventId: string): Promise<number> {
    const row = await this.db
      .selectFrom('webhookDeliveryLogs')
      .select((eb) => eb.fn.max('attemptNumber').as('last'))
      .where('webhookId', '=', webhookId)
      .where('eventId', '=', eventId)
      .executeTakeFirst();
    return row?.last ?? 0;
  }

  /**
   * Deletes delivery logs and customer events created before `before`, `batch` rows per
   * statement (short statements: no long lock, no bloat burst). Returns how many of each.
   */
  async prune(before: Date, batch: number): Promise<{ logs: number; events: number }> {
    const pruned = { logs: 0, events: 0 };
    for (;;) {
      const result = await this.db
        .deleteFrom('webhookDeliveryLogs')
        .where('id', 'in', (eb) => eb.selectFrom('webhookDeliveryLogs').select('id').where('createdAt', '<', before).limit(batch))
        .executeTakeFirst();
      pruned.logs += Number(result.numDeletedRows);
      if (Number(result.numDeletedRows) < batch) break;
    }
    for (;;) {
      const result = await this.db
        .deleteFrom('customerEvents')
        .where('id', 'in', (eb) => eb.selectFrom('customerEvents').select('id').where('createdAt', '<', before).limit(batch))
        .executeTakeFirst();
      pruned.events += Number(result.numDeletedRows);
      if (Number(result.numDeletedRows) < batch) break;
    }
    return pruned;
  }
}
