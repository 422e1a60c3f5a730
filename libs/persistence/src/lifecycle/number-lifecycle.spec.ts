import { AppConfig } from '@numbers/config';
import { newId } from '@numbers/domain';
import type { NumberStatus } from '@numbers/contracts';
import { createTestDatabase, testEnv, testRedisPrefix, type TestDatabase } from '@numbers/test-support';
import { PrismaService } from '../prisma/prisma.service';
import { PhoneNumberRecords } from '../numbers/phone-number.records';
import { NumberLifecycle, NumberNotFoundError } from './number-lifecycle';

describe('NumberLifecycle.apply (real PostgreSQL)', () => {
  let database: TestDatabase;
  let prisma: PrismaService;
  let lifecycle: NumberLifecycle;
  let accountId: string;
  let profileId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix() }));
    prisma = new PrismaService(config);
    await prisma.$connect();
    lifecycle = new NumberLifecycle(prisma, new PhoneNumberRecords(prisma));
    accountId = newId();
    profileId = newId();
    await prisma.account.create({ data: { id: accountId, name: 'lifecycle', planCode: 'growth' } });
    await prisma.profile.create({ data: { id: profileId, accountId, name: 'p' } });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  async function numberIn(status: NumberStatus, paidFirst = false): Promise<string> {
    const id = newId();
    await prisma.phoneNumber.create({
      data: { id, accountId, profileId, country: 'US', status, monthlyCents: 300, paidFirst, phoneNumber: '+14155550123' },
    });
    return id;
  }

  const outboxOf = (numberId: string) =>
    prisma.outboxMessage.findMany({ where: { payload: { path: ['numberId'], equals: numberId } }, orderBy: { id: 'asc' } });

  it('moves the number, bumps its version, writes history and what must follow', async () => {
    const id = await numberIn('active');
    const { _max: before } = await prisma.outboxMessage.aggregate({ _max: { id: true } });
    const result = await lifecycle.apply(id, 'release_requested', { cause: 'req-1', actor: 'customer' });

    expect(result.applied).toBe(true);
    expect(result.number).toMatchObject({ status: 'releasing', version: 1 });
    const history = await prisma.numberStatusHistory.findMany({ where: { numberId: id } });
    expect(history).toEqual([
      expect.objectContaining({ fromStatus: 'active', toStatus: 'releasing', event: 'release_requested', applied: true, cause: 'req-1', actor: 'customer' }),
    ]);
    const outbox = await prisma.outboxMessage.findMany({ where: { id: { gt: before.id ?? 0n } } });
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
    expect(await prisma.phoneNumber.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'released', version: 0 });
    const history = await prisma.numberStatusHistory.findMany({ where: { numberId: id } });
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
    const number = await prisma.phoneNumber.findUniqueOrThrow({ where: { id } });
    expect(number).toMatchObject({ status: 'releasing', version: 1 });
    const history = await prisma.numberStatusHistory.findMany({ where: { numberId: id } });
    expect(history.filter((h) => h.applied)).toHaveLength(1);
    expect(history).toHaveLength(8);
    const jobs = (await outboxOf(id)).filter((row) => row.name === 'release-number');
    expect(jobs).toHaveLength(1);
  });

  it('rolls back everything when the caller transaction fails', async () => {
    const id = await numberIn('active');
    await expect(
      prisma.$transaction(async (tx) => {
        await lifecycle.apply(id, 'payment_failed', { cause: 'invoice 1', actor: 'stripe' }, tx);
        throw new Error('the rest of the use case failed');
      }),
    ).rejects.toThrow('the rest of the use case failed');
    expect(await prisma.phoneNumber.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'active', version: 0 });
    expect(await prisma.numberStatusHistory.count({ where: { numberId: id } })).toBe(0);
    expect(await outboxOf(id)).toEqual([]);
  });

  it('an unknown number is an error, not a silent no-op', async () => {
    await expect(lifecycle.apply(newId(), 'release_requested', { cause: 'x', actor: 'customer' })).rejects.toBeInstanceOf(NumberNotFoundError);
  });
});
