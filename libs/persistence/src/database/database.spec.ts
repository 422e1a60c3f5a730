import { sql } from 'kysely';
import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { Database, type Executor } from './database';
import { SecondConnectionError } from './one-connection';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.drop();
});

function openDatabase(namedStatements: boolean, overrides: Record<string, string> = {}): Database {
  const env = testEnv({ DATABASE_URL: testDb.url, REDIS_PREFIX: testRedisPrefix(), DATABASE_NAMED_STATEMENTS: String(namedStatements), ...overrides });
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

  it('counts the statements it sends, BEGIN and COMMIT included', async () => {
    const db = openDatabase(true);
    try {
      await db.selectFrom('plans').select('code').execute();
      expect(db.statementsSent).toBe(1);
      await db.transaction().execute((tx) => tx.selectFrom('plans').select('code').execute());
      expect(db.statementsSent).toBe(4);
    } finally {
      await db.destroy();
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

// What the work sees: the server's own message, or pg's once the connection is gone (Kysely
// reports the failed rollback's error).
const CONNECTION_LOST = /terminating connection|not queryable|Connection terminated/;

const backendPid = async (db: Executor) => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0].pid;

/** Ends a backend from another connection, as an operator or the server's own timeouts do. */
async function terminate(pid: number): Promise<void> {
  const admin = openDatabase(false);
  try {
    // With a timeout, PostgreSQL waits until the backend is gone.
    const { rows } = await sql<{ ended: boolean }>`SELECT pg_terminate_backend(${pid}, 5000) AS ended`.execute(admin);
    expect(rows[0].ended).toBe(true);
  } finally {
    await admin.destroy();
  }
}

describe.each([true, false])('a connection the server ends (named statements %s)', (namedStatements) => {
  let db: Database;
  let uncaught: unknown[];
  const recordUncaught = (error: unknown) => uncaught.push(error);

  beforeEach(() => {
    db = openDatabase(namedStatements);
    uncaught = [];
    process.on('uncaughtException', recordUncaught);
  });

  afterEach(async () => {
    process.off('uncaughtException', recordUncaught);
    await db.destroy();
  });

  it('between two statements of a transaction: that transaction fails, the process does not, the pool serves on', async () => {
    const work = db.transaction().execute(async (tx) => {
      await terminate(await backendPid(tx));
      // Let the closed socket reach the client before its next statement.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await tx.selectFrom('plans').select('code').execute();
    });
    await expect(work).rejects.toThrow(CONNECTION_LOST);
    expect(uncaught).toEqual([]);
    expect(await db.selectFrom('plans').select('code').where('code', '=', 'growth').execute()).toEqual([{ code: 'growth' }]);
  });

  it('during a statement: that statement fails, the process does not, the pool serves on', async () => {
    const work = db.transaction().execute(async (tx) => {
      const pid = await backendPid(tx);
      await Promise.all([sql`SELECT pg_sleep(10)`.execute(tx), terminate(pid)]);
    });
    await expect(work).rejects.toThrow(CONNECTION_LOST);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(uncaught).toEqual([]);
    expect(await db.selectFrom('plans').select('code').where('code', '=', 'scale').execute()).toEqual([{ code: 'scale' }]);
  });
});

describe('the pool\'s limits', () => {
  it('cancels a statement that runs past DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    const db = openDatabase(true, { DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    try {
      await expect(sql`SELECT pg_sleep(5)`.execute(db)).rejects.toMatchObject({ code: '57014' });
    } finally {
      await db.destroy();
    }
  });

  it('fails a unit of work that waits DATABASE_CONNECT_TIMEOUT_MS for a connection', async () => {
    const db = openDatabase(true, { DATABASE_POOL_SIZE: '2', DATABASE_CONNECT_TIMEOUT_MS: '300' });
    // Each holds its connection until all of them have one (or gave up waiting).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let settled = 0;
    const settle = () => ++settled === 3 && release();
    try {
      const overbooked = await Promise.allSettled(
        Array.from({ length: 3 }, () =>
          db
            .transaction()
            .execute(async (tx) => {
              await backendPid(tx);
              settle();
              await released;
            })
            .catch((error: Error) => {
              settle();
              throw error;
            }),
        ),
      );
      expect(overbooked.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.message)).toEqual([
        expect.stringMatching(/timeout/i),
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('refuses, at once, a second connection asked for inside a transaction: a full pool of such transactions could never free one', async () => {
    const db = openDatabase(true, { DATABASE_POOL_SIZE: '1', DATABASE_CONNECT_TIMEOUT_MS: '5000' });
    try {
      const started = Date.now();
      await expect(db.transaction().execute(async (tx) => [await backendPid(tx), await backendPid(db)])).rejects.toThrow(SecondConnectionError);
      await expect(db.transaction().execute(() => db.transaction().execute(backendPid))).rejects.toThrow(SecondConnectionError);
      await expect(db.transaction().setIsolationLevel('serializable').execute(() => backendPid(db))).rejects.toThrow(SecondConnectionError);
      expect(Date.now() - started).toBeLessThan(5000);
      // The transaction's own connection, handed down, serves; so does the pool once it ended.
      let later!: Promise<number>;
      await db.transaction().execute(async (tx) => {
        await db.inTransaction(tx, backendPid);
        later = new Promise((resolve) => setTimeout(resolve, 50)).then(() => backendPid(db));
      });
      expect(await later).toBeGreaterThan(0);
      // Another pool is another budget: a connection of its own is not a second one of this pool's.
      const other = openDatabase(true);
      try {
        await db.transaction().execute(async (tx) => [await backendPid(tx), await backendPid(other)]);
      } finally {
        await other.destroy();
      }
    } finally {
      await db.destroy();
    }
  });

  it('runs more transactions at once than the pool has connections: they queue for one and all commit', async () => {
    const db = openDatabase(true, { DATABASE_POOL_SIZE: '2' });
    try {
      const pids = await Promise.all(
        Array.from({ length: 20 }, () =>
          db.transaction().execute(async (tx) => {
            const pid = await backendPid(tx);
            // A pause between statements, as a job's code between its own.
            await new Promise((resolve) => setTimeout(resolve, 20));
            await tx.selectFrom('plans').select('code').execute();
            return pid;
          }),
        ),
      );
      expect(new Set(pids).size).toBeLessThanOrEqual(2);
    } finally {
      await db.destroy();
    }
  });
});
