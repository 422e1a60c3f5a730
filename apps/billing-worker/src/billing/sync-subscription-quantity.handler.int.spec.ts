import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@numbers/config';
import type { NumberStatus } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { PersistenceModule, PrismaService } from '@numbers/persistence';
import { ProvidersModule, STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { createTestDatabase, testRedisPrefix, type TestDatabase, startSimulatorProcess, type SimulatorProcess, type SimulatorState } from '@numbers/test-support';
import { SyncSubscriptionQuantityHandler } from './sync-subscription-quantity.handler';

jest.setTimeout(60_000);

/** Integration: the handler against a real database of this file and the provider simulator. */
describe('SyncSubscriptionQuantityHandler', () => {
  let database: TestDatabase;
  let sim: SimulatorProcess;
  let moduleRef: TestingModule;
  let prisma: PrismaService;
  let handler: SyncSubscriptionQuantityHandler;

  beforeAll(async () => {
    database = await createTestDatabase();
    sim = await startSimulatorProcess({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix() });
    const config = AppConfig.fromEnv(sim.env);
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, PersistenceModule, ProvidersModule],
      providers: [SyncSubscriptionQuantityHandler],
    })
      .overrideProvider(AppConfig)
      .useValue(config)
      .compile();
    await moduleRef.init();
    prisma = moduleRef.get(PrismaService);
    handler = moduleRef.get(SyncSubscriptionQuantityHandler);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await sim?.stop();
    await database?.drop();
  });

  /** An account with numbers in `statuses` ([status, paidFirst]) and, unless told, a subscription of quantity 1. */
  async function account(numbers: [NumberStatus, boolean][], withSubscription = true): Promise<{ accountId: string; subscriptionId?: string }> {
    const accountId = newId();
    const profileId = newId();
    await prisma.account.create({ data: { id: accountId, name: 'Acme', planCode: 'scale' } });
    await prisma.profile.create({ data: { id: profileId, accountId, name: 'main' } });
    await prisma.phoneNumber.createMany({
      data: numbers.map(([status, paidFirst]) => ({ id: newId(), accountId, profileId, country: 'US', status, paidFirst, monthlyCents: 300 })),
    });
    if (!withSubscription) return { accountId };
    const stripe = moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    const { customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `cus-${accountId}`);
    const subscription = await stripe.createSubscription({ customerId, accountId, quantity: 1 }, `sub-${accountId}`);
    await prisma.billingAccount.create({
      data: {
        accountId,
        stripeCustomerId: customerId,
        stripeSubscriptionId: subscription.id,
        stripeSubscriptionItemId: subscription.items[0].id,
        subscriptionStatus: subscription.status,
        quantity: 1,
      },
    });
    return { accountId, subscriptionId: subscription.id };
  }

  function ctx(jobId: string): JobContext {
    return { jobId, name: 'sync-subscription-quantity', queue: 'billing', attempt: 1, maxAttempts: 10 };
  }

  function simState(): Promise<SimulatorState> {
    return sim.get<SimulatorState>('/_sim/state');
  }

  const MIXED: [NumberStatus, boolean][] = [
    ['active', false],
    ['active', true],
    ['suspended', false],
    ['provisioning', true], // the paid-first slot
    ['provisioning', false],
    ['verifying', false],
    ['pending_payment', false],
    ['releasing', false],
    ['released', true],
  ];

  it('sets Stripe quantity to the billable numbers and stores it; a second run is harmless', async () => {
    const { accountId, subscriptionId } = await account(MIXED);

    await expect(handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.11'))).resolves.toEqual({ synced: true, quantity: 4 });
    let state = await simState();
    expect(state.stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(4);
    expect(await prisma.billingAccount.findUniqueOrThrow({ where: { accountId } })).toMatchObject({ quantity: 4, version: 1 });

    // The same job again (a retry or a duplicate delivery): same key, same quantity, one change at Stripe.
    await expect(handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.11'))).resolves.toEqual({ synced: true, quantity: 4 });
    state = await simState();
    expect(state.stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(4);
    const updates = state.requests.stripe.filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${subscriptionId}`);
    expect(updates.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
      ['sync-subscription-quantity.11.q4', false],
      ['sync-subscription-quantity.11.q4', true],
    ]);
    expect(await prisma.billingAccount.findUniqueOrThrow({ where: { accountId } })).toMatchObject({ quantity: 4 });
  });

  it('follows the count down when a number leaves billing', async () => {
    const { accountId, subscriptionId } = await account([['active', false], ['active', false]]);
    await handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.21'));
    await prisma.phoneNumber.updateMany({ where: { accountId }, data: { status: 'released' }, limit: 1 });
    await expect(handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.22'))).resolves.toEqual({ synced: true, quantity: 1 });
    expect((await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(1);
  });

  it('does nothing for an account without a subscription', async () => {
    const { accountId } = await account([['active', false]], false);
    const before = (await simState()).requests.stripe.length;
    await expect(handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.31'))).resolves.toEqual({
      synced: false,
      reason: 'no_subscription',
    });
    expect((await simState()).requests.stripe).toHaveLength(before);
  });

  it('serialises syncs of one account: the second waits for the first to finish at Stripe', async () => {
    const { accountId, subscriptionId } = await account([['active', false], ['active', false], ['active', false]]);
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/subscriptions/:id', action: 'delay', delayMs: 1500 });
    const first = handler.handle({ accountId, cause: 'a' }, ctx('sync-subscription-quantity.41'));
    await new Promise((r) => setTimeout(r, 500)); // the first holds the lock, inside the delayed Stripe call
    const second = handler.handle({ accountId, cause: 'b' }, ctx('sync-subscription-quantity.42'));
    await new Promise((r) => setTimeout(r, 300));
    const locks = await prisma.$queryRaw<{ granted: boolean }[]>`SELECT granted FROM pg_locks WHERE locktype = 'advisory'`;
    expect(locks.map((l) => l.granted).sort()).toEqual([false, true]);

    await expect(Promise.all([first, second])).resolves.toEqual([
      { synced: true, quantity: 3 },
      { synced: true, quantity: 3 },
    ]);
    expect((await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(3);
    expect(await prisma.billingAccount.findUniqueOrThrow({ where: { accountId } })).toMatchObject({ quantity: 3, version: 2 });
  });
});
