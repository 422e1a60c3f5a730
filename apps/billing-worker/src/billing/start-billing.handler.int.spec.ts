import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@numbers/config';
import type { NumberStatus } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { PersistenceModule, PrismaService } from '@numbers/persistence';
import { ProviderError, ProvidersModule, STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { createTestDatabase, testRedisPrefix, type TestDatabase, startSimulatorProcess, type SimulatorProcess } from '@numbers/test-support';
import { StartBillingHandler } from './start-billing.handler';

jest.setTimeout(60_000);

const UNIT = 300; // the simulator's default price, cents a month
const DAY = 24 * 3600;

interface SimInvoice {
  id: string;
  subscription: string | null;
  billingReason: string;
  total: number;
  lines: { amount: number; quantity: number; proration: boolean; periodStart: number; periodEnd: number }[];
}
interface SimState {
  clock: { now: number };
  stripe: { subscriptions: { id: string; status: string; quantity: number; currentPeriodStart: number; currentPeriodEnd: number }[]; invoices: SimInvoice[] };
  requests: { stripe: { method: string; path: string; idempotencyKey: string | null; replayed: boolean; body: Record<string, unknown> }[] };
}

/** Integration: the start of a number's billing against a real database of this file and the provider simulator. */
describe('StartBillingHandler', () => {
  let database: TestDatabase;
  let sim: SimulatorProcess;
  let moduleRef: TestingModule;
  let prisma: PrismaService;
  let stripe: StripeGateway;
  let handler: StartBillingHandler;

  beforeAll(async () => {
    database = await createTestDatabase();
    sim = await startSimulatorProcess({ DATABASE_URL: database.url, REDIS_PREFIX: testRedisPrefix() });
    moduleRef = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule, ProvidersModule], providers: [StartBillingHandler] })
      .overrideProvider(AppConfig)
      .useValue(AppConfig.fromEnv(sim.env))
      .compile();
    await moduleRef.init();
    prisma = moduleRef.get(PrismaService);
    stripe = moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    handler = moduleRef.get(StartBillingHandler);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await sim?.stop();
    await database?.drop();
  });

  afterEach(async () => {
    await sim.delete('/_sim/faults');
  });

  /**
   * An account as a first purchase leaves it: a subscription in its long trial (as Checkout
   * creates it) whose quantity is the billable count, and numbers in `statuses` (all paid first).
   */
  async function account(statuses: NumberStatus[], trial = true): Promise<{ accountId: string; subscriptionId: string; numbers: string[] }> {
    const accountId = newId();
    const profileId = newId();
    await prisma.account.create({ data: { id: accountId, name: 'Acme', planCode: 'scale' } });
    await prisma.profile.create({ data: { id: profileId, accountId, name: 'main' } });
    const numbers = statuses.map(() => newId());
    await prisma.phoneNumber.createMany({
      data: statuses.map((status, i) => ({
        id: numbers[i],
        accountId,
        profileId,
        country: 'US',
        status,
        paidFirst: true,
        monthlyCents: 300,
        activatedAt: status === 'active' ? new Date() : null,
      })),
    });
    const quantity = statuses.filter((s) => s !== 'released').length;
    const { now } = (await simState()).clock;
    const { customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `cus-${accountId}`);
    const subscription = await stripe.createSubscription({ customerId, accountId, quantity, ...(trial ? { trialEnd: now + 700 * DAY } : {}) }, `sub-${accountId}`);
    await prisma.billingAccount.create({
      data: {
        accountId,
        stripeCustomerId: customerId,
        stripeSubscriptionId: subscription.id,
        stripeSubscriptionItemId: subscription.items[0].id,
        subscriptionStatus: subscription.status,
        quantity,
      },
    });
    return { accountId, subscriptionId: subscription.id, numbers };
  }

  function ctx(jobId: string): JobContext {
    return { jobId, name: 'start-billing', queue: 'billing', attempt: 1, maxAttempts: 10 };
  }

  function simState(): Promise<SimState> {
    return sim.get<SimState>('/_sim/state');
  }

  async function invoicesOf(subscriptionId: string): Promise<SimInvoice[]> {
    return (await simState()).stripe.invoices.filter((i) => i.subscription === subscriptionId);
  }

  async function subscriptionOf(subscriptionId: string) {
    return (await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId);
  }

  it('the first number to become active ends the trial: nothing charged before, one unit from activation; once', async () => {
    const { subscriptionId, numbers } = await account(['active']);
    const before = await invoicesOf(subscriptionId);
    expect(before.reduce((sum, i) => sum + i.total, 0)).toBe(0);

    const started = await handler.handle({ numberId: numbers[0] }, ctx('start-billing.11'));
    expect(started).toMatchObject({ started: true, how: 'trial_ended', amountCents: UNIT });
    const after = await invoicesOf(subscriptionId);
    const first = after.filter((i) => !before.some((b) => b.id === i.id));
    expect(first.map((i) => [i.total, i.lines.map((l) => [l.quantity, l.amount, l.proration])])).toEqual([[UNIT, [[1, UNIT, false]]]]);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', quantity: 1 });
    const state = await simState();
    expect(first[0].lines[0].periodStart).toBeGreaterThanOrEqual(state.clock.now - 60);

    // Again (a retry, a duplicate delivery): nothing more at Stripe.
    const calls = (await simState()).requests.stripe.length;
    await expect(handler.handle({ numberId: numbers[0] }, ctx('start-billing.11'))).resolves.toEqual({ started: false, reason: 'billing started already' });
    expect((await simState()).requests.stripe.slice(calls).filter((r) => r.method === 'POST')).toEqual([]);
    expect(await prisma.ledgerEntry.findMany({ where: { numberId: numbers[0] } })).toEqual([
      expect.objectContaining({ kind: 'charge', amountCents: UNIT, stripeObjectId: subscriptionId }),
    ]);
  });

  it('a slot still being provisioned is not charged with the first period, and stays in the quantity', async () => {
    const { accountId, subscriptionId, numbers } = await account(['active', 'verifying']);
    await handler.handle({ numberId: numbers[0] }, ctx('start-billing.21'));
    const invoices = await invoicesOf(subscriptionId);
    expect(invoices.reduce((sum, i) => sum + i.total, 0)).toBe(UNIT);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', quantity: 2 });
    expect(await prisma.billingAccount.findUniqueOrThrow({ where: { accountId } })).toMatchObject({ quantity: 2 });
    const updates = (await simState()).requests.stripe.filter((r) => r.path === `/v1/subscriptions/${subscriptionId}` && r.method === 'POST');
    expect(updates.map((r) => [r.idempotencyKey, r.body['proration_behavior'] ?? null, r.body['trial_end'] ?? null])).toEqual([
      [`start-billing-${numbers[0]}.trial-q1`, 'none', null],
      [`start-billing-${numbers[0]}.end-trial`, null, 'now'],
      [`start-billing-${numbers[0]}.q2`, 'none', null],
    ]);
  });

  it('a later number is charged the rest of the current period, once; the quantity stays the billable count', async () => {
    const { accountId, subscriptionId, numbers } = await account(['active', 'verifying']);
    await handler.handle({ numberId: numbers[0] }, ctx('start-billing.31'));
    await prisma.phoneNumber.update({ where: { id: numbers[1] }, data: { status: 'active', activatedAt: new Date() } });
    const before = await invoicesOf(subscriptionId);

    const started = await handler.handle({ numberId: numbers[1] }, ctx('start-billing.32'));
    expect(started).toMatchObject({ started: true, how: 'rest_of_period_charged' });
    const charged = (await invoicesOf(subscriptionId)).filter((i) => !before.some((b) => b.id === i.id));
    expect(charged).toHaveLength(1);
    // Stripe's proration from now to the period's end: (2+1) units remaining minus 2 units unused = one unit.
    const subscription = await subscriptionOf(subscriptionId);
    if (!subscription) throw new Error(`subscription ${subscriptionId} is gone`);
    const remaining = (subscription.currentPeriodEnd - (await simState()).clock.now) / (subscription.currentPeriodEnd - subscription.currentPeriodStart);
    expect(charged[0].total).toBeGreaterThan(0);
    expect(charged[0].total).toBeLessThanOrEqual(UNIT);
    expect(Math.abs(charged[0].total - UNIT * remaining)).toBeLessThanOrEqual(2);
    expect(charged[0].lines.every((l) => l.proration)).toBe(true);
    expect(started).toMatchObject({ amountCents: charged[0].total });
    expect(subscription).toMatchObject({ quantity: 2 });
    expect(await prisma.billingAccount.findUniqueOrThrow({ where: { accountId } })).toMatchObject({ quantity: 2 });

    await expect(handler.handle({ numberId: numbers[1] }, ctx('start-billing.32'))).resolves.toEqual({ started: false, reason: 'billing started already' });
    expect(await invoicesOf(subscriptionId)).toHaveLength(before.length + 1);
  });

  it('does not charge a number that left billing before it ran, nor one that never became active', async () => {
    const { subscriptionId, numbers } = await account(['active', 'provisioning']);
    await prisma.phoneNumber.update({ where: { id: numbers[0] }, data: { status: 'releasing' } });
    await expect(handler.handle({ numberId: numbers[0] }, ctx('start-billing.41'))).resolves.toEqual({ started: false, reason: 'the number is releasing' });
    await expect(handler.handle({ numberId: numbers[1] }, ctx('start-billing.42'))).resolves.toEqual({ started: false, reason: 'the number never became active' });
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'trialing' });
  });

  it('a subscription without a trial was paid when it started: nothing more is charged', async () => {
    const { subscriptionId, numbers } = await account(['active'], false);
    const before = await invoicesOf(subscriptionId);
    await expect(handler.handle({ numberId: numbers[0] }, ctx('start-billing.51'))).resolves.toMatchObject({ started: true, how: 'paid_at_subscription_start', amountCents: 0 });
    expect(await invoicesOf(subscriptionId)).toHaveLength(before.length);
  });

  it('lets a Stripe failure throw to be retried, recording nothing until it succeeds', async () => {
    const { subscriptionId, numbers } = await account(['active']);
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/subscriptions/:id', action: 'fail', status: 503, times: 3 });
    const failure = handler.handle({ numberId: numbers[0] }, ctx('start-billing.61'));
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ retryable: true });
    expect(await prisma.ledgerEntry.count({ where: { numberId: numbers[0] } })).toBe(0);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'trialing' });

    await expect(handler.handle({ numberId: numbers[0] }, ctx('start-billing.61'))).resolves.toMatchObject({ started: true, how: 'trial_ended' });
    expect((await invoicesOf(subscriptionId)).reduce((sum, i) => sum + i.total, 0)).toBe(UNIT);
  });
});
