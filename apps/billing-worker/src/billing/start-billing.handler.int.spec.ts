import type { NumberStatus } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { DeferJob, type JobContext } from '@numbers/messaging';
import { Database, PersistenceModule } from '@numbers/persistence';
import { ProviderError, STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { countOf, createTestAccount, startHandlerTestBed, type HandlerTestBed, type SimulatorProcess } from '@numbers/test-support';
import { BILLING_REPOSITORIES, recordSubscription } from '../testing/money-test-bed';
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
interface SimInvoiceItem {
  id: string;
  customer: string;
  subscription: string | null;
  amount: number;
  currency: string;
  description: string | null;
  periodStart: number;
  periodEnd: number;
  proration: boolean;
  metadata: Record<string, string>;
  invoice: string | null;
}
interface SimRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
  body: Record<string, unknown>;
}
interface SimState {
  clock: { now: number };
  stripe: {
    subscriptions: { id: string; status: string; quantity: number; currentPeriodStart: number; currentPeriodEnd: number }[];
    invoices: SimInvoice[];
    invoiceItems: SimInvoiceItem[];
  };
  requests: { stripe: SimRequest[] };
}

/** Integration: the start of a number's billing against a real database of this file and the provider simulator. */
describe('StartBillingHandler', () => {
  let bed: HandlerTestBed;
  let sim: SimulatorProcess;
  let db: Database;
  let stripe: StripeGateway;
  let handler: StartBillingHandler;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [StartBillingHandler, ...BILLING_REPOSITORIES],
    });
    ({ sim } = bed);
    db = bed.moduleRef.get(Database);
    stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    handler = bed.moduleRef.get(StartBillingHandler);
  });

  afterAll(() => bed?.stop());

  afterEach(async () => {
    await sim.delete('/_sim/faults');
  });

  /**
   * An account as a first purchase leaves it: a subscription in its long trial (as Checkout
   * creates it) whose quantity is the billable count, and numbers in `statuses` (all paid first).
   */
  async function account(statuses: NumberStatus[], trial = true): Promise<{ accountId: string; subscriptionId: string; numbers: string[] }> {
    const { accountId, profileId } = await createTestAccount(db);
    const numbers = statuses.map(() => newId());
    await db
      .insertInto('phoneNumbers')
      .values(
        statuses.map((status, i) => ({
          id: numbers[i],
          accountId,
          profileId,
          country: 'US',
          status,
          paidFirst: true,
          phoneNumber: `+1555010${String(i).padStart(4, '0')}`,
          monthlyCents: 300,
          activatedAt: status === 'active' ? new Date() : null,
        })),
      )
      .execute();
    const quantity = statuses.filter((s) => s !== 'released').length;
    const { now } = (await simState()).clock;
    const { customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `cus-${accountId}`);
    const subscription = await stripe.createSubscription({ customerId, accountId, quantity, ...(trial ? { trialEnd: now + 700 * DAY } : {}) }, `sub-${accountId}`);
    await recordSubscription(db, { accountId, customerId, subscription, quantity });
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
    expect(await db.selectFrom('ledgerEntries').selectAll().where('numberId', '=', numbers[0]).execute()).toEqual([
      expect.objectContaining({
        kind: 'charge',
        amountCents: UNIT,
        stripeObjectType: 'invoice',
        stripeObjectId: first[0].id,
        invoiceId: first[0].id,
        subscriptionId,
        entryKey: `charge:${subscriptionId}:${numbers[0]}`,
      }),
    ]);
  });

  it('a slot still being provisioned is not charged with the first period, and stays in the quantity', async () => {
    const { accountId, subscriptionId, numbers } = await account(['active', 'verifying']);
    await handler.handle({ numberId: numbers[0] }, ctx('start-billing.21'));
    const invoices = await invoicesOf(subscriptionId);
    expect(invoices.reduce((sum, i) => sum + i.total, 0)).toBe(UNIT);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', quantity: 2 });
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ quantity: 2 });
    const updates = (await simState()).requests.stripe.filter((r) => r.path === `/v1/subscriptions/${subscriptionId}` && r.method === 'POST');
    expect(updates.map((r) => [r.idempotencyKey, r.body['proration_behavior'] ?? null, r.body['trial_end'] ?? null])).toEqual([
      [`start-billing-${numbers[0]}.trial-q1`, 'none', null],
      [`start-billing-${numbers[0]}.end-trial`, null, 'now'],
      [`start-billing-${numbers[0]}.q2`, 'none', null],
    ]);
  });

  async function invoiceItemsOf(subscriptionId: string): Promise<SimInvoiceItem[]> {
    return (await simState()).stripe.invoiceItems.filter((i) => i.subscription === subscriptionId);
  }

  /** The Stripe requests made since `from` requests had been logged. */
  async function stripeRequestsSince(from: number): Promise<SimRequest[]> {
    return (await simState()).requests.stripe.slice(from);
  }

  /**
   * An account whose first number's billing started (trial ended: a period began now), with a
   * second number in its slot that became active `daysIn` days into that period (the simulator
   * clock moved there too).
   */
  async function laterNumberActive(daysIn: number) {
    const created = await account(['active', 'verifying']);
    await handler.handle({ numberId: created.numbers[0] }, ctx(`start-billing.first-${created.numbers[0]}`));
    await sim.post('/_sim/clock/advance', { seconds: daysIn * DAY });
    const activatedAt = (await simState()).clock.now;
    await db.updateTable('phoneNumbers').set({ status: 'active', activatedAt: new Date(activatedAt * 1000), updatedAt: new Date() }).where('id', '=', created.numbers[1]).execute();
    const subscription = await subscriptionOf(created.subscriptionId);
    if (!subscription) throw new Error(`subscription ${created.subscriptionId} is gone`);
    // Stripe's proration of one unit from activation to the period's end, computed here from the simulator's period.
    const expected = Math.round((UNIT * (subscription.currentPeriodEnd - activatedAt)) / (subscription.currentPeriodEnd - subscription.currentPeriodStart));
    return { ...created, activatedAt, period: { start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd }, expected };
  }

  it('a later number is invoiced the rest of the current period as a pending invoice item; the quantity is not touched', async () => {
    const { accountId, subscriptionId, numbers, activatedAt, period, expected } = await laterNumberActive(10);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(UNIT); // 10 days in: a real proration, not a whole unit
    const invoicesBefore = await invoicesOf(subscriptionId);
    const billingBefore = await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();
    const from = (await simState()).requests.stripe.length;

    const started = await handler.handle({ numberId: numbers[1] }, ctx('start-billing.32'));

    // Two Stripe calls: the subscription (period, price), the invoice item. No quantity change, no invoice.
    expect((await stripeRequestsSince(from)).map((r) => [r.method, r.path.replace(subscriptionId, ':id'), r.idempotencyKey])).toEqual([
      ['GET', '/v1/subscriptions/:id', null],
      ['POST', '/v1/invoiceitems', `start-billing-${numbers[1]}.invoice-item`],
    ]);
    const items = await invoiceItemsOf(subscriptionId);
    expect(items).toEqual([
      expect.objectContaining({
        amount: expected,
        currency: 'usd',
        proration: false,
        periodStart: activatedAt,
        periodEnd: period.end,
        metadata: { numberId: numbers[1] },
        invoice: null, // pending: the next invoice takes it
      }),
    ]);
    expect(items[0].description).toContain('+15550100001');
    expect(items[0].description).toContain(numbers[1]);
    expect(started).toEqual({ started: true, how: 'rest_of_period_invoiced', invoiceItemId: items[0].id, amountCents: expected });
    expect(await invoicesOf(subscriptionId)).toHaveLength(invoicesBefore.length);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', quantity: 2 });
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ quantity: 2, version: billingBefore.version });
    const ledger = await db.selectFrom('ledgerEntries').selectAll().where('numberId', '=', numbers[1]).execute();
    expect(ledger).toEqual([
      expect.objectContaining({ kind: 'charge', amountCents: expected, stripeObjectType: 'invoice_item', stripeObjectId: items[0].id, subscriptionId, invoiceId: null }),
    ]);

    // Again (a duplicate delivery): nothing at Stripe.
    const again = (await simState()).requests.stripe.length;
    await expect(handler.handle({ numberId: numbers[1] }, ctx('start-billing.32'))).resolves.toEqual({ started: false, reason: 'billing started already' });
    expect(await stripeRequestsSince(again)).toEqual([]);
    expect(await invoiceItemsOf(subscriptionId)).toHaveLength(1);

    // The renewal invoice carries it: both units for the new period, plus the rest of the old one.
    await sim.post('/_sim/clock/advance', { seconds: period.end - (await simState()).clock.now + 1 });
    const renewal = (await invoicesOf(subscriptionId)).find((i) => i.billingReason === 'subscription_cycle');
    expect(renewal?.lines.map((l) => [l.amount, l.quantity, l.proration, l.periodStart, l.periodEnd])).toEqual([
      [expected, 1, false, activatedAt, period.end],
      [2 * UNIT, 2, false, period.end, expect.any(Number)],
    ]);
    expect(renewal?.total).toBe(2 * UNIT + expected);
    expect(await invoiceItemsOf(subscriptionId)).toEqual([expect.objectContaining({ id: items[0].id, invoice: renewal?.id })]);
  });

  it('a later number that became active before a renewal, billed after it: the rest of the old period, not the new one again', async () => {
    const { subscriptionId, numbers, activatedAt, period, expected } = await laterNumberActive(12);
    // The renewal comes before the job runs: it charges both units for the new period (the number is active).
    await sim.post('/_sim/clock/advance', { seconds: period.end - (await simState()).clock.now + 1 });
    const renewal = (await invoicesOf(subscriptionId)).find((i) => i.billingReason === 'subscription_cycle');
    expect(renewal?.total).toBe(2 * UNIT);
    const from = (await simState()).requests.stripe.length;

    const started = await handler.handle({ numberId: numbers[1] }, ctx('start-billing.81'));

    // The period the activation fell in is read from the subscription's invoices.
    expect((await stripeRequestsSince(from)).map((r) => [r.method, r.path.replace(subscriptionId, ':id').replace(/\?.*/, '')])).toEqual([
      ['GET', '/v1/subscriptions/:id'],
      ['GET', '/v1/invoices'],
      ['POST', '/v1/invoiceitems'],
    ]);
    const items = await invoiceItemsOf(subscriptionId);
    expect(items).toEqual([expect.objectContaining({ amount: expected, periodStart: activatedAt, periodEnd: period.end, invoice: null })]);
    expect(started).toEqual({ started: true, how: 'rest_of_period_invoiced', invoiceItemId: items[0].id, amountCents: expected });
    expect(expected).toBeLessThan(UNIT);
  });

  it('a later number: a Stripe failure or a crash before the commit is retried into the same invoice item, once', async () => {
    const { subscriptionId, numbers, expected } = await laterNumberActive(3);
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/invoiceitems', action: 'fail', status: 503, times: 3 });
    const failed = handler.handle({ numberId: numbers[1] }, ctx('start-billing.71'));
    await expect(failed).rejects.toMatchObject({ retryable: true });
    expect(await invoiceItemsOf(subscriptionId)).toEqual([]);
    expect(await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numbers[1]))).toBe(0);

    // The item is made at Stripe, then the job dies before its transaction commits.
    const createInvoiceItem = stripe.createInvoiceItem.bind(stripe);
    const crash = jest.spyOn(stripe, 'createInvoiceItem').mockImplementationOnce(async (input, key) => {
      await createInvoiceItem(input, key);
      throw new Error('worker died before the commit');
    });
    await expect(handler.handle({ numberId: numbers[1] }, ctx('start-billing.71'))).rejects.toThrow('worker died before the commit');
    crash.mockRestore();
    expect(await invoiceItemsOf(subscriptionId)).toHaveLength(1);
    expect(await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numbers[1]))).toBe(0);

    // The retry, a moment later, sends the same request under the same key: Stripe answers the same item.
    await new Promise((r) => setTimeout(r, 1100));
    const started = await handler.handle({ numberId: numbers[1] }, ctx('start-billing.71'));
    const items = await invoiceItemsOf(subscriptionId);
    expect(items).toEqual([expect.objectContaining({ amount: expected, invoice: null })]);
    expect(started).toEqual({ started: true, how: 'rest_of_period_invoiced', invoiceItemId: items[0].id, amountCents: expected });
    const creates = (await simState()).requests.stripe.filter((r) => r.method === 'POST' && r.path === '/v1/invoiceitems' && r.idempotencyKey === `start-billing-${numbers[1]}.invoice-item`);
    // Three refused attempts (the SDK retries), the one that made the item, and the retry's replay of it.
    expect(creates.map((r) => [r.status, r.replayed])).toEqual([
      [503, false],
      [503, false],
      [503, false],
      [200, false],
      [200, true],
    ]);
    expect(await db.selectFrom('ledgerEntries').selectAll().where('numberId', '=', numbers[1]).execute()).toEqual([
      expect.objectContaining({ kind: 'charge', amountCents: expected, stripeObjectId: items[0].id, subscriptionId }),
    ]);
  });

  it('does not charge a number that left billing before it ran, nor one that never became active', async () => {
    const { subscriptionId, numbers } = await account(['active', 'provisioning']);
    await db.updateTable('phoneNumbers').set({ status: 'releasing', updatedAt: new Date() }).where('id', '=', numbers[0]).execute();
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

  it('two first numbers at once: one ends the trial, the other is retried and charged the rest of the period; each once', async () => {
    const { subscriptionId, numbers } = await account(['active', 'active']);
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/subscriptions/:id', action: 'delay', delayMs: 500 });
    const [a, b] = await Promise.allSettled([
      handler.handle({ numberId: numbers[0] }, ctx('start-billing.91')),
      handler.handle({ numberId: numbers[1] }, ctx('start-billing.92')),
    ]);
    await sim.delete('/_sim/faults');
    // No transaction is open while Stripe answers: the second finds the trial's end claimed, and fails to be retried.
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    const [first, second] = a.status === 'fulfilled' ? [numbers[0], numbers[1]] : [numbers[1], numbers[0]];
    expect(a.status === 'fulfilled' ? a.value : b.status === 'fulfilled' ? b.value : null).toMatchObject({ started: true, how: 'trial_ended', amountCents: UNIT });
    expect(await invoicesOf(subscriptionId)).toEqual(expect.arrayContaining([expect.objectContaining({ total: UNIT })]));

    // The retry, and a duplicate of it at once: the rest of the period, one item, one charge.
    const retries = await Promise.all([
      handler.handle({ numberId: second }, ctx('start-billing.93')),
      handler.handle({ numberId: second }, ctx('start-billing.93')),
    ]);
    expect(retries.map((r) => r.started)).toEqual([true, true]);
    expect(retries[0]).toMatchObject({ how: 'rest_of_period_invoiced' });
    expect(await invoiceItemsOf(subscriptionId)).toHaveLength(1);
    expect((await db.selectFrom('ledgerEntries').selectAll().where('subscriptionId', '=', subscriptionId).where('kind', '=', 'charge').execute()).map((e) => e.numberId).sort()).toEqual([first, second].sort());
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', quantity: 2 });
  });

  it('does not end the trial while a quantity sync is setting the items at Stripe: deferred until it has let go', async () => {
    const { accountId, subscriptionId, numbers } = await account(['active']);
    const sync = (jobId: string | null) =>
      db.updateTable('billingAccounts').set({ quantitySyncJobId: jobId, quantitySyncClaimedAt: jobId ? new Date() : null }).where('accountId', '=', accountId).execute();
    await sync('sync-subscription-quantity.71');
    const deferred = handler.handle({ numberId: numbers[0] }, ctx('start-billing.71'));
    await expect(deferred).rejects.toBeInstanceOf(DeferJob);
    await expect(deferred).rejects.toMatchObject({ message: expect.stringMatching(/a quantity sync holds the items/), delayMs: expect.any(Number) });
    expect(((await deferred.catch((e: DeferJob) => e)) as DeferJob).delayMs).toBeLessThanOrEqual(5_000);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'trialing' });
    expect(await db.selectFrom('billingAccounts').select('quantitySyncJobId').where('accountId', '=', accountId).executeTakeFirstOrThrow()).toEqual({ quantitySyncJobId: 'sync-subscription-quantity.71' });

    await sync(null);
    await expect(handler.handle({ numberId: numbers[0] }, ctx('start-billing.71'))).resolves.toMatchObject({ started: true, how: 'trial_ended' });
  });

  it('takes over the claim of a quantity sync whose worker died: billing starts and the quantity is the billable count', async () => {
    const { accountId, subscriptionId, numbers } = await account(['active', 'active']);
    const [item] = (await stripe.getSubscription(subscriptionId)).items;
    // The dead sync set Stripe's quantity to 1 and died before recording it or letting go, a minute ago.
    await stripe.updateSubscriptionItems({ subscriptionId, items: [{ itemId: item.id, quantity: 1 }], prorationBehavior: 'none' }, 'sync-subscription-quantity.dead.q1');
    await db
      .updateTable('billingAccounts')
      .set({ quantitySyncJobId: 'sync-subscription-quantity.dead', quantitySyncClaimedAt: new Date(Date.now() - 60_000) })
      .where('accountId', '=', accountId)
      .execute();

    await expect(handler.handle({ numberId: numbers[0] }, ctx('start-billing.81'))).resolves.toMatchObject({ started: true, how: 'trial_ended', amountCents: UNIT });
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', quantity: 2 });
    expect(await db.selectFrom('billingAccounts').select(['quantity', 'quantitySyncJobId', 'trialEndingNumberId']).where('accountId', '=', accountId).executeTakeFirstOrThrow()).toEqual({
      quantity: 2,
      quantitySyncJobId: null,
      trialEndingNumberId: null,
    });
    expect(await db.selectFrom('subscriptionItems').select('quantity').where('subscriptionId', '=', subscriptionId).execute()).toEqual([{ quantity: 2 }]);

    // The other active number: the rest of the period, the quantity untouched.
    await expect(handler.handle({ numberId: numbers[1] }, ctx('start-billing.82'))).resolves.toMatchObject({ started: true, how: 'rest_of_period_invoiced' });
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ quantity: 2 });
  });

  it('lets a Stripe failure throw to be retried, recording nothing until it succeeds', async () => {
    const { subscriptionId, numbers } = await account(['active']);
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/subscriptions/:id', action: 'fail', status: 503, times: 3 });
    const failure = handler.handle({ numberId: numbers[0] }, ctx('start-billing.61'));
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ retryable: true });
    expect(await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numbers[0]))).toBe(0);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'trialing' });

    await expect(handler.handle({ numberId: numbers[0] }, ctx('start-billing.61'))).resolves.toMatchObject({ started: true, how: 'trial_ended' });
    expect((await invoicesOf(subscriptionId)).reduce((sum, i) => sum + i.total, 0)).toBe(UNIT);
  });
});
