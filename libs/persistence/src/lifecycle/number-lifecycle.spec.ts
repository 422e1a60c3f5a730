import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import type { NumberStatus } from '@numbers/contracts';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { sql } from 'kysely';
import { Database } from '../database/database';
import { PhoneNumberRecords } from '../numbers/phone-number.records';
import { NumberLifecycle, NumberNotFoundError } from './number-lifecycle';

describe('NumberLifecycle.apply (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let lifecycle: NumberLifecycle;
  let accountId: string;
  let profileId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix() }));
    db = new Database(config);
    lifecycle = new NumberLifecycle(db, new PhoneNumberRecords(db));
    accountId = newId();
    profileId = newId();
    await db.insertInto('accounts').values({ id: accountId, name: 'lifecycle', planCode: 'growth' }).execute();
    await db.insertInto('profiles').values({ id: profileId, accountId, name: 'p' }).execute();
  });

  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  async function numberIn(status: NumberStatus, paidFirst = false): Promise<string> {
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId, country: 'US', status, monthlyCents: 300, paidFirst, phoneNumber: '+14155550123', updatedAt: new Date() })
      .execute();
    return id;
  }

  const outboxOf = (numberId: string) =>
    db.selectFrom('outbox').selectAll().where(sql<boolean>`payload->>'numberId' = ${numberId}`).orderBy('id').execute();
  const historyOf = (numberId: string) => db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).orderBy('id').execute();
  const numberRow = (id: string) => db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('moves the number, bumps its version, writes history and what must follow', async () => {
    const id = await numberIn('active');
    const { maxId } = await db.selectFrom('outbox').select(sql<string>`coalesce(max(id), 0)`.as('maxId')).executeTakeFirstOrThrow();
    const result = await lifecycle.apply(id, 'release_requested', { cause: 'req-1', actor: 'customer' });

    expect(result.applied).toBe(true);
    expect(result.number).toMatchObject({ status: 'releasing', version: 1 });
    const history = await historyOf(id);
    expect(history).toEqual([
      expect.objectContaining({ fromStatus: 'active', toStatus: 'releasing', event: 'release_requested', applied: true, cause: 'req-1', actor: 'customer' }),
    ]);
    const outbox = await db.selectFrom('outbox').selectAll().where('id', '>', maxId).execute();
    expect(outbox.map((row) => [row.kind, row.name]).sort()).toEqual([
      ['event', 'number.status_changed'],
      ['job', 'release-number'],
      ['job', 'sync-subscription-quantity'],
    ]);
  });

  it('records an event that does not fit, and changes nothing', async () => {
    const id = await numberIn('released');
    const before = await outboxOf(id);
    const result = await lifecycle.apply(id, 'release_requested', { cause: 'late webhook', actor: 'stripe' });

    expect(result).toMatchObject({ applied: false, decision: { ok: false, reason: 'terminal_state' } });
    expect(await numberRow(id)).toMatchObject({ status: 'released', version: 0 });
    const history = await historyOf(id);
    expect(history).toEqual([expect.objectContaining({ applied: false, fromStatus: 'released', toStatus: null })]);
    expect(history[0].cause).toContain('terminal_state');
    expect(await outboxOf(id)).toEqual(before);
  });

  it('stamps the state it enters and writes the patch with it', async () => {
    const id = await numberIn('releasing');
    const result = await lifecycle.apply(id, 'release_completed', {
      cause: 'job 1',
      actor: 'system',
      patch: { failureReason: 'customer asked' },
    });
    expect(result.number.releasedAt).toBeInstanceOf(Date);
    expect(result.number.failureReason).toBe('customer asked');
  });

  it('under concurrent events exactly one transition wins and the rest are recorded', async () => {
    const id = await numberIn('active');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => lifecycle.apply(id, 'release_requested', { cause: `race ${i}`, actor: 'customer' })),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    const number = await numberRow(id);
    expect(number).toMatchObject({ status: 'releasing', version: 1 });
    const history = await historyOf(id);
    expect(history.filter((h) => h.applied)).toHaveLength(1);
    expect(history).toHaveLength(8);
    const jobs = (await outboxOf(id)).filter((row) => row.name === 'release-number');
    expect(jobs).toHaveLength(1);
  });

  it('rolls back everything when the caller transaction fails', async () => {
    const id = await numberIn('active');
    await expect(
      db.transaction().execute(async (tx) => {
        await lifecycle.apply(id, 'payment_failed', { cause: 'invoice 1', actor: 'stripe' }, tx);
        throw new Error('the rest of the use case failed');
      }),
    ).rejects.toThrow('the rest of the use case failed');
    expect(await numberRow(id)).toMatchObject({ status: 'active', version: 0 });
    expect(await historyOf(id)).toEqual([]);
    expect(await outboxOf(id)).toEqual([]);
  });

  it('an unknown number is an error, not a silent no-op', async () => {
    await expect(lifecycle.apply(newId(), 'release_requested', { cause: 'x', actor: 'customer' })).rejects.toBeInstanceOf(NumberNotFoundError);
  });
});
