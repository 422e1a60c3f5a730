import type { SelectQueryBuilder } from 'kysely';

/** How many rows `query` (a Kysely select with no columns yet) finds. */
export async function countOf<DB, TB extends keyof DB>(query: SelectQueryBuilder<DB, TB, object>): Promise<number> {
  // Over any schema (test-support cannot name persistence's), Kysely cannot infer the column.
  const { n } = await query
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .$castTo<{ n: string }>()
    .executeTakeFirstOrThrow();
  return Number(n);
}
