import { Injectable } from '@nestjs/common';
import { sql, type RawBuilder } from 'kysely';
import type { EventRequest, JobRequest } from '@numbers/contracts';
import type { Executor } from '../database/database';
import { activeRequestId, activeTraceparent } from './trace-context';

interface OutboxRow {
  kind: 'job' | 'event';
  name: string;
  payload: string;
  /** What the row is written for, when the condition asks (`t.key`). */
  key: string | null;
}

const jobRow = (job: JobRequest, key: string | null = null): OutboxRow => ({ kind: 'job', name: job.name, payload: JSON.stringify(job.payload), key });

/**
 * The rows in order, under `when` (over `t`), in the active trace and request. One text whatever
 * the number of rows: they travel as arrays.
 */
function insertRows(rows: OutboxRow[], when: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    INSERT INTO outbox (kind, name, payload, traceparent, request_id)
    SELECT t.kind::"OutboxKind", t.name, t.payload::jsonb, ${activeTraceparent()}::text, ${activeRequestId()}::text
    FROM unnest(${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.payload)}::text[], ${rows.map((r) => r.key)}::text[])
      WITH ORDINALITY AS t(kind, name, payload, key, ord)
    WHERE ${when}
    ORDER BY t.ord`;
}

/**
 * The INSERT of outbox rows for `jobs` and `events`, in order: a statement of its own, or a
 * data-modifying CTE of the statement that makes the change. `when`: a condition the rows are
 * written under (inside a CTE, e.g. that the change's row was updated).
 */
export function outboxInsert(jobs: JobRequest[], events: EventRequest[], when: RawBuilder<unknown> = sql`TRUE`): RawBuilder<unknown> {
  const eventRows = events.map((e): OutboxRow => ({ kind: 'event', name: e.name, payload: JSON.stringify(e.payload), key: null }));
  return insertRows([...jobs.map((j) => jobRow(j)), ...eventRows], when);
}

/**
 * As a CTE of the statement whose CTE `source` inserts rows: each job is written only if the row
 * with its `key` as id was inserted (an insert that skips conflicts returns only the new rows).
 */
export function outboxInsertForRows(source: string, keyed: Array<{ key: string; job: JobRequest }>): RawBuilder<unknown> {
  return insertRows(
    keyed.map(({ key, job }) => jobRow(job, key)),
    sql`t.key IN (SELECT id FROM ${sql.table(source)})`,
  );
}

/**
 * Writes what must follow a change into the outbox, inside the change's own transaction, so
 * the work is published if and only if the change committed. On its own (no transaction) it is
 * one statement: its rows are written together or not at all.
 */
@Injectable()
export class OutboxRepository {
  async add(db: Executor, jobs: JobRequest[], events: EventRequest[] = []): Promise<void> {
    if (jobs.length + events.length > 0) await outboxInsert(jobs, events).execute(db);
  }
}
