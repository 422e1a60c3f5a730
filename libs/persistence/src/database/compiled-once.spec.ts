import { sql } from 'kysely';
import { AppConfig } from '@numbers/config';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { compiledOnce } from './compiled-once';
import { Database } from './database';

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = new Database(AppConfig.fromEnv(testEnv({ DATABASE_URL: testDb.url, REDIS_PREFIX: testRedisPrefix() })));
});

afterAll(async () => {
  await db?.destroy();
  await testDb?.drop();
});

describe('compiledOnce', () => {
  const countries = (tier: number, available: boolean) =>
    db.selectFrom('countries').select(['code', 'monthlyCents', 'needsKyc']).where('tier', '=', tier).where('code', '<>', 'ZZ').where('available', '=', available).orderBy('code');

  it('runs the statement compiled once with new values, constants kept, rows through the plugins, as one named statement', async () => {
    const query = compiledOnce(countries);
    const [tier1, tier3] = [query(1, true), query(3, true)];
    expect(tier1.sql).toBe(tier3.sql);
    expect(tier1.sql).toBe(countries(1, true).compile().sql);
    expect(tier3.parameters).toEqual([3, 'ZZ', true]);
    for (const tier of [1, 3]) {
      const { rows } = await db.executeQuery(query(tier, true));
      expect(rows).toEqual(await countries(tier, true).execute());
      expect(rows.length).toBeGreaterThan(0);
      expect(Object.keys(rows[0])).toEqual(['code', 'monthlyCents', 'needsKyc']);
    }
    const prepared = await db.connection().execute(async (conn) => {
      await conn.executeQuery(query(1, true));
      await conn.executeQuery(query(2, false));
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = ${tier1.sql}`.execute(conn);
      return rows[0].n;
    });
    expect(prepared).toBe(1);
  });

  it('refuses a build that leaves a value out', () => {
    expect(() => compiledOnce((tier: number, _unused: string) => countries(tier, true).where('name', '=', 'x'))).toThrow(/not used/);
  });
});
