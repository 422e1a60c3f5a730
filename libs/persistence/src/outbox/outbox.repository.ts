import { Injectable } from '@nestjs/common';
import { sql, type RawBuilder } from 'kysely';
import type { EventRequest, JobRequest } from '@numbers/contracts';
import type { Tx } from '../database/database';

/**
 * The INSERT of outbox rows for `jobs` and `events`, in order: a statement of its own, or a
 * data-modifying CTE of the statement that makes the change. `when`: a condition the rows are
 * written under (inside a CTE, e.g. that the change's row was updated). One statement text
 * whatever the number of rows (they travel as arrays), so it is prepared once.
 */
export function outboxInsert(jobs: JobRequest[], events: EventRequest[], when: RawBuilder<unknown> = sql`TRUE`): RawBuilder<unknown> {
  const rows = [
    ...jobs.map((j) => ({ kind: 'job', name: j.name, payload: JSON.stringify(j.payload) })),
    ...events.map((e) => ({ kind: 'event', name: e.name, payload: JSON.stringify(e.payload) })),
  ];
  return sql`
    INSERT INTO outbox (kind, name, payload)
    SELECT t.kind::"OutboxKind", t.name, t.payload::jsonb
    FROM unnest(${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.payload)}::text[])
      WITH ORDINALITY AS t(kind, name, payload, ord)
    WHERE ${when}
    ORDER BY t.ord`;
}

/**
 * Writes what must follow a change into the outbox, inside the change's own transaction, so
 * the work is published if and only if the change committed.
 */
@Injectable()
export class OutboxRepository {
  async add(tx: Tx, jobs: JobRequest[], events: EventRequest[] = []): Promise<void> {
    if (jobs.length + events.length > 0) await outboxInsert(jobs, events).execute(tx);
  }
}
