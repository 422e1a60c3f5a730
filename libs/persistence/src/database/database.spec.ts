import { sql } from 'kysely';
import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { Database } from './database';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.drop();
});

function openDatabase(namedStatements: boolean): Database {
  const env = testEnv({ DATABASE_URL: testDb.url, REDIS_PREFIX: testRedisPrefix(), DATABASE_NAMED_STATEMENTS: String(namedStatements) });
  return new Database(AppConfig.fromEnv(env));
}

async function preparedStatements(db: Database): Promise<number> {
  // pg_prepared_statements is per session: ask on the connection that ran the statements.
  return db.connection().execute(async (conn) => {
    await conn.selectFrom('plans').select('code').where('code', '=', 'growth').execute();
    await conn.selectFrom('plans').select('code').where('code', '=', 'scale').execute();
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements`.execute(conn);
    return rows[0].n;
  });
}

describe('Database', () => {
  it('runs statements as named statements, prepared once per connection, unless configured off', async () => {
    const named = openDatabase(true);
    const unnamed = openDatabase(false);
    try {
      // The two selects share one text: one prepared statement (and the count's own).
      expect(await preparedStatements(named)).toBe(2);
      expect(await preparedStatements(unnamed)).toBe(0);
    } finally {
      await named.destroy();
      await unnamed.destroy();
    }
  });

  it('maps camelCase fields to snake_case columns and keeps the keys inside JSON values', async () => {
    const db = openDatabase(true);
    try {
      await db
        .insertInto('webhookEvents')
        .values({ id: newId(), provider: 'stripe', eventId: 'evt_case', eventType: 'test.case', rawBody: '{"a_b":1}' })
        .execute();
      const row = await db.selectFrom('webhookEvents').selectAll().where('eventId', '=', 'evt_case').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ eventId: 'evt_case', eventType: 'test.case', processedAt: null });
      expect(row.receivedAt).toBeInstanceOf(Date);
      const { rows } = await sql<{ payload: unknown }>`SELECT '{"snake_key": {"inner_key": 1}}'::jsonb AS payload`.execute(db);
      expect(rows[0].payload).toEqual({ snake_key: { inner_key: 1 } });
    } finally {
      await db.destroy();
    }
  });

  it('commits a transaction as a whole or not at all', async () => {
    const db = openDatabase(true);
    try {
      const failing = db.transaction().execute(async (tx) => {
        await tx.insertInto('webhookEvents').values({ id: newId(), provider: 'meta', eventId: 'evt_rolled_back', eventType: 'x', rawBody: '{}' }).execute();
        throw new Error('boom');
      });
      await expect(failing).rejects.toThrow('boom');
      await db.inTransaction(undefined, (tx) =>
        tx.insertInto('webhookEvents').values({ id: newId(), provider: 'meta', eventId: 'evt_committed', eventType: 'x', rawBody: '{}' }).execute(),
      );
      const ids = await db.selectFrom('webhookEvents').select('eventId').where('provider', '=', 'meta').execute();
      expect(ids.map((r) => r.eventId)).toEqual(['evt_committed']);
    } finally {
      await db.destroy();
    }
  });
});
