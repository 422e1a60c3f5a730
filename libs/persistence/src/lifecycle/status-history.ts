import { sql, type RawBuilder } from 'kysely';
import type { NumberStatus } from '@numbers/contracts';
import type { Actor } from '../database/rows';

/** One row of a number's status history. `to` is null for an event that did not apply. */
export interface HistoryRow {
  from: NumberStatus | null;
  to: NumberStatus | null;
  event: string;
  applied: boolean;
  at: Date;
}

/**
 * The INSERT of `rows`, in order, into the history of the number the CTE `source` returned (no
 * row when it returned none): a data-modifying CTE of the statement that changes the number. The
 * rows travel as arrays, so the text is the same for any number of them.
 */
export function historyInsert(source: 'moved' | 'created', rows: HistoryRow[], cause: string, actor: Actor): RawBuilder<unknown> {
  return sql`
    INSERT INTO number_status_history (number_id, from_status, to_status, event, applied, cause, actor, at)
    SELECT src.id, h.from_status::"NumberStatus", h.to_status::"NumberStatus", h.event, h.applied, ${cause}, ${actor}::"Actor", h.at
    FROM ${sql.table(source)} AS src
    CROSS JOIN unnest(${rows.map((r) => r.from)}::text[], ${rows.map((r) => r.to)}::text[], ${rows.map((r) => r.event)}::text[],
      ${rows.map((r) => r.applied)}::boolean[], ${rows.map((r) => r.at)}::timestamptz[])
      WITH ORDINALITY AS h(from_status, to_status, event, applied, at, ord)
    ORDER BY h.ord`;
}
