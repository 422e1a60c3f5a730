import { sql, type RawBuilder } from 'kysely';
import type { CustomerEventPayload, JobPayloads } from '@numbers/contracts';
import { activeRequestId, activeTraceparent } from '../outbox/trace-context';

type DeliveryKey = keyof JobPayloads['deliver-webhook'];
const EVENT_ID: DeliveryKey = 'eventId';
const WEBHOOK_ID: DeliveryKey = 'webhookId';

/**
 * The two inserts that give birth to a customer event, for the statement (or transaction) of
 * the change that causes it: the event row, and one `deliver-webhook` outbox job per active
 * endpoint of the account subscribed to its type (in the active trace and request), both under `when`
 * (e.g. that the change's row was updated). Two CTEs, because PostgreSQL allows data-modifying statements only at the
 * top level of a WITH; neither reads the other (the event id is known here).
 */
export function customerEventInserts(accountId: string, event: CustomerEventPayload, when: RawBuilder<unknown> = sql`TRUE`): { event: RawBuilder<unknown>; deliveries: RawBuilder<unknown> } {
  return {
    event: sql`
      INSERT INTO customer_events (id, account_id, type, payload, created_at)
      SELECT ${event.id}, ${accountId}, ${event.event}, ${JSON.stringify(event)}::jsonb, ${event.timestamp}::timestamptz
      WHERE ${when}`,
    deliveries: sql`
      INSERT INTO outbox (kind, name, payload, traceparent, request_id)
      SELECT 'job'::"OutboxKind", 'deliver-webhook', jsonb_build_object(${EVENT_ID}::text, ${event.id}::text, ${WEBHOOK_ID}::text, w.id), ${activeTraceparent()}::text, ${activeRequestId()}::text
      FROM webhook_endpoints w
      WHERE w.account_id = ${accountId} AND w.is_active AND ${event.event}::text = ANY (w.events) AND ${when}
      ORDER BY w.id`,
  };
}

/** For a change that sends no event: CTEs that nothing reads, so PostgreSQL never runs them. */
export const NO_CUSTOMER_EVENT: { event: RawBuilder<unknown>; deliveries: RawBuilder<unknown> } = { event: sql`SELECT`, deliveries: sql`SELECT` };
