import { sql, type RawBuilder } from 'kysely';

/** A raw data-modifying statement as the body of a CTE (Kysely wraps builders in parentheses, not raw SQL). */
export function cte(statement: RawBuilder<unknown>): RawBuilder<Record<string, unknown>> {
  return sql<Record<string, unknown>>`(${statement})`;
}
