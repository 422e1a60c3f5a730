import { Injectable } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import type { EventRequest, JobRequest } from '@numbers/contracts';
import { runSql, type SqlTx } from '../prisma/prisma.service';

/**
 * The INSERT of outbox rows for `jobs` and `events`, in order, or null when there are none: a
 * statement of its own, or a data-modifying CTE of the statement that makes the change. `when`:
 * a condition the rows are written under (inside a CTE, e.g. that the change's row was updated).
 */
export function outboxInsert(jobs: JobRequest[], events: EventRequest[], when: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql | null {
  const rows = [
    ...jobs.map((j) => ({ kind: 'job', name: j.name, payload: JSON.stringify(j.payload) })),
    ...events.map((e) => ({ kind: 'event', name: e.name, payload: JSON.stringify(e.payload) })),
  ];
  if (rows.length === 0) return null;
  return Prisma.sql`
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
  async add(tx: SqlTx, jobs: JobRequest[], events: EventRequest[] = []): Promise<void> {
    const insert = outboxInsert(jobs, events);
    // Raw: every state change writes here, and a raw statement costs half a Prisma createMany.
    if (insert) await runSql(tx, insert);
  }
}
