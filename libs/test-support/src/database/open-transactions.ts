import { sql, type QueryExecutorProvider } from 'kysely';

/**
 * How many sessions of `db`'s database hold a transaction open while their client is busy
 * elsewhere (`idle in transaction`): what a provider call made inside a transaction looks like
 * from PostgreSQL. Sampled while a slow provider call is in flight, it is 0 when none is.
 */
export async function transactionsLeftOpen(db: QueryExecutorProvider): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND state LIKE 'idle in transaction%'`.execute(db);
  return rows[0].n;
}
