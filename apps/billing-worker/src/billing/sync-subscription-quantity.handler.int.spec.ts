import type { NumberStatus } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { BillingAccountRepository, Database, PersistenceModule } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { countOf, createTestAccount, startHandlerTestBed, transactionsLeftOpen, type HandlerTestBed, type SimulatorProcess, type SimulatorState } from '@numbers/test-support';
import { BILLING_REPOSITORIES, recordSubscription } from '../testing/money-test-bed';
import { SubscriptionQuantitySync } from './subscription-quantity-sync';
import { SyncSubscriptionQuantityHandler } from './sync-subscription-quantity.handler';

jest.setTimeout(60_000);

/** Integration: the handler against a real database of this file and the provider simulator. */
describe('SyncSubscriptionQuantityHandler', () => {
  let bed: HandlerTestBed;
  let sim: SimulatorProcess;
  let db: Database;
  let handler: SyncSubscriptionQuantityHandler;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [SyncSubscriptionQuantityHandler, SubscriptionQuantitySync, ...BILLING_REPOSITORIES],
    });
    ({ sim } = bed);
    db = bed.moduleRef.get(Database);
    handler = bed.moduleRef.get(SyncSubscriptionQuantityHandler);
  });

  afterAll(() => bed?.stop());

  /** An account with numbers in `statuses` ([status, paidFirst]) and, unless told, a subscription of quantity 1. */
  async function account(
    numbers: [NumberStatus, boolean][],
    withSubscription = true,
    quantity = 1,
  ): Promise<{ accountId: string; subscriptionId?: string; numberIds: string[] }> {
    const { accountId, profileId } = await createTestAccount(db);
    const numberIds = numbers.map(() => newId());
    await db
      .insertInto('phoneNumbers')
      .values(numbers.map(([status, paidFirst], i) => ({ id: numberIds[i], accountId, profileId, country: 'US', status, paidFirst, monthlyCents: 300 })))
      .execute();
    if (!withSubscription) return { accountId, numberIds };
    const stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    const { customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `cus-${accountId}`);
    const subscription = await stripe.createSubscription({ customerId, accountId, quantity }, `sub-${accountId}`);
    await recordSubscription(db, { accountId, customerId, subscription, quantity });
    return { accountId, subscriptionId: subscription.id, numberIds };
  }

  function ctx(jobId: string): JobContext {
    return { jobId, name: 'sync-subscription-quantity', queue: 'billing', attempt: 1, maxAttempts: 10 };
  }

  function simState(): Promise<SimulatorState> {
    return sim.get<SimulatorState>('/_sim/state');
  }

  /** The subscription updates this account's syncs sent: [idempotency key, proration_behavior]. */
  async function updatesOf(subscriptionId: string | undefined): Promise<[string | null, unknown][]> {
    const state = await sim.get<{ requests: { stripe: { method: string; path: string; idempotencyKey: string | null; body: Record<string, unknown> }[] } }>('/_sim/state');
    return state.requests.stripe
      .filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${subscriptionId}`)
      .map((r) => [r.idempotencyKey, r.body['proration_behavior']]);
  }

  /** What StartBillingHandler records when a number's billing starts. */
  async function billingStarted(accountId: string, subscriptionId: string | undefined, numberId: string): Promise<void> {
    if (!subscriptionId) throw new Error('billing starts only with a subscription');
    await db.updateTable('phoneNumbers').set({ activatedAt: new Date(), updatedAt: new Date() }).where('id', '=', numberId).execute();
    await db
      .insertInto('ledgerEntries')
      .values({
        id: newId(),
        accountId,
        numberId,
        kind: 'charge',
        amountCents: 300,
        stripeObjectId: subscriptionId,
        subscriptionId,
        entryKey: `charge:${subscriptionId}:${numberId}`,
        description: 'test',
      })
      .execute();
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
    if (!subscriptionId) throw new Error('the account has a subscription');

    await expect(handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.11'))).resolves.toEqual({ synced: true, quantity: 4, previous: 1 });
    let state = await simState();
    expect(state.stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(4);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ quantity: 4, version: 1 });

    // A retry after the job died between Stripe's answer and its commit (its claim still held, the
    // stored quantities, the account's and its item's, still the old ones): same key, same quantity, one change at Stripe.
    await db
      .updateTable('billingAccounts')
      .set({ quantity: 1, quantitySyncJobId: 'sync-subscription-quantity.11', quantitySyncClaimedAt: new Date(), updatedAt: new Date() })
      .where('accountId', '=', accountId)
      .execute();
    await db.updateTable('subscriptionItems').set({ quantity: 1, updatedAt: new Date() }).where('subscriptionId', '=', subscriptionId).execute();
    await expect(handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.11'))).resolves.toEqual({ synced: true, quantity: 4, previous: 1 });
    state = await simState();
    expect(state.stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(4);
    const updates = state.requests.stripe.filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${subscriptionId}`);
    expect(updates.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
      ['sync-subscription-quantity.11.c1.q4', false],
      ['sync-subscription-quantity.11.c1.q4', true],
    ]);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ quantity: 4 });
  });

  it('makes no Stripe call when the stored quantity is already the billable count', async () => {
    // A burst: three purchases of one account (paid slots) queue three syncs; the first one counts them all.
    const { accountId, subscriptionId } = await account([
      ['active', true],
      ['provisioning', true],
      ['provisioning', true],
      ['provisioning', true],
    ]);
    await expect(handler.handle({ accountId, cause: 'payment_confirmed:a' }, ctx('sync-subscription-quantity.71'))).resolves.toEqual({ synced: true, quantity: 4, previous: 1 });
    const billing = await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();
    const before = (await simState()).requests.stripe.length;

    await expect(handler.handle({ accountId, cause: 'payment_confirmed:b' }, ctx('sync-subscription-quantity.72'))).resolves.toEqual({
      synced: false,
      reason: 'already_in_step',
      quantity: 4,
    });
    await expect(handler.handle({ accountId, cause: 'payment_confirmed:c' }, ctx('sync-subscription-quantity.73'))).resolves.toEqual({
      synced: false,
      reason: 'already_in_step',
      quantity: 4,
    });

    expect((await simState()).requests.stripe).toHaveLength(before); // not even a read
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ quantity: 4, version: billing.version });
    expect((await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(4);
  });

  it('still credits a number leaving billing when the count stays the same (a slot took its place)', async () => {
    // At Stripe: two numbers whose billing started. One is released; a new slot is paid for.
    const { accountId, subscriptionId, numberIds } = await account([['active', true], ['released', true], ['provisioning', true]], true, 2);
    await billingStarted(accountId, subscriptionId, numberIds[0]);
    await billingStarted(accountId, subscriptionId, numberIds[1]);

    await expect(handler.handle({ accountId, cause: 'release' }, ctx('sync-subscription-quantity.81'))).resolves.toEqual({
      synced: true,
      quantity: 2,
      previous: 2,
      credited: 1,
    });
    // The quantity is already right: no change, only the released number's unused time credited.
    expect(await updatesOf(subscriptionId)).toEqual([]);
    const items = (await sim.get<{ stripe: { invoiceItems: { subscription: string; amount: number; metadata: Record<string, string> }[] } }>('/_sim/state')).stripe.invoiceItems.filter(
      (i) => i.subscription === subscriptionId,
    );
    expect(items).toEqual([expect.objectContaining({ metadata: { numberId: numberIds[1], reason: 'unused_time' } })]);
    expect(items[0].amount).toBeLessThan(0);
  });

  it('follows the count down when a number leaves billing', async () => {
    const { accountId, subscriptionId } = await account([['active', false], ['active', false]]);
    await handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.21'));
    // One of them, whichever.
    await db
      .updateTable('phoneNumbers')
      .set({ status: 'released', updatedAt: new Date() })
      .where('id', '=', (eb) => eb.selectFrom('phoneNumbers').select('id').where('accountId', '=', accountId).limit(1))
      .execute();
    await expect(handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.22'))).resolves.toEqual({ synced: true, quantity: 1, previous: 2 });
    expect((await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(1);
  });

  it('does nothing for an account without a subscription', async () => {
    const { accountId } = await account([['active', false]], false);
    const before = (await simState()).requests.stripe.length;
    await expect(handler.handle({ accountId, cause: 'test' }, ctx('sync-subscription-quantity.31'))).resolves.toEqual({
      synced: false,
      reason: 'no_subscription',
      quantity: 1,
    });
    expect((await simState()).requests.stripe).toHaveLength(before);
  });

  it('adds and removes slots of numbers whose billing never started without proration', async () => {
    const { accountId, subscriptionId, numberIds } = await account([['active', true], ['provisioning', true]]);
    await billingStarted(accountId, subscriptionId, numberIds[0]);
    await expect(handler.handle({ accountId, cause: 'payment_confirmed' }, ctx('sync-subscription-quantity.51'))).resolves.toEqual({ synced: true, quantity: 2, previous: 1 });
    await db.updateTable('phoneNumbers').set({ status: 'releasing', updatedAt: new Date() }).where('id', '=', numberIds[1]).execute();
    await expect(handler.handle({ accountId, cause: 'provisioning_failed' }, ctx('sync-subscription-quantity.52'))).resolves.toEqual({ synced: true, quantity: 1, previous: 2 });
    expect(await updatesOf(subscriptionId)).toEqual([
      ['sync-subscription-quantity.51.c1.q2', 'none'],
      ['sync-subscription-quantity.52.c2.q1', 'none'],
    ]);
    expect(await countOf(db.selectFrom('ledgerEntries').where('accountId', '=', accountId).where('kind', '=', 'proration'))).toBe(0);
  });

  it('credits the unused time of a number released after its billing started, once, and only its own', async () => {
    // Two active numbers (billing started for both) and a slot being provisioned: quantity 3.
    const { accountId, subscriptionId, numberIds } = await account([['active', true], ['active', true], ['verifying', true]], true, 3);
    await billingStarted(accountId, subscriptionId, numberIds[0]);
    await billingStarted(accountId, subscriptionId, numberIds[1]);
    // One active number is released, and the slot's number fails before it was ever active.
    await db.updateTable('phoneNumbers').set({ status: 'released', updatedAt: new Date() }).where('id', 'in', [numberIds[0], numberIds[2]]).execute();

    await expect(handler.handle({ accountId, cause: 'release' }, ctx('sync-subscription-quantity.61'))).resolves.toEqual({
      synced: true,
      quantity: 1,
      previous: 3,
      credited: 1,
    });
    // The quantity goes down without proration; only the released active number's unused time is
    // credited, as an invoice item of its own (key per number and subscription).
    expect(await updatesOf(subscriptionId)).toEqual([['sync-subscription-quantity.61.c1.q1', 'none']]);
    const state = await sim.get<{
      clock: { now: number };
      stripe: { subscriptions: { id: string; currentPeriodEnd: number }[]; invoiceItems: { id: string; subscription: string; amount: number; invoice: string | null; metadata: Record<string, string> }[] };
      requests: { stripe: { method: string; path: string; idempotencyKey: string | null }[] };
    }>('/_sim/state');
    const items = state.stripe.invoiceItems.filter((i) => i.subscription === subscriptionId);
    expect(items).toEqual([expect.objectContaining({ invoice: null, metadata: { numberId: numberIds[0], reason: 'unused_time' } })]);
    expect(items[0].amount).toBeLessThan(-290); // ≈ −300: released at the start of the period
    expect(state.requests.stripe.filter((r) => r.path === '/v1/invoiceitems').map((r) => r.idempotencyKey)).toContain(`unused-time-${numberIds[0]}-${subscriptionId}`);
    const credits = await db.selectFrom('ledgerEntries').selectAll().where('accountId', '=', accountId).where('kind', '=', 'proration').execute();
    expect(credits).toEqual([
      expect.objectContaining({ numberId: numberIds[0], amountCents: items[0].amount, stripeObjectType: 'invoice_item', stripeObjectId: items[0].id, subscriptionId }),
    ]);

    // A later sync credits nothing again, and finds nothing to change.
    await expect(handler.handle({ accountId, cause: 'again' }, ctx('sync-subscription-quantity.62'))).resolves.toEqual({ synced: false, reason: 'already_in_step', quantity: 1 });
    expect((await updatesOf(subscriptionId)).slice(1)).toEqual([]);
    expect(await countOf(db.selectFrom('ledgerEntries').where('accountId', '=', accountId).where('kind', '=', 'proration'))).toBe(1);

    // At the renewal, Stripe's invoice carries the credit: one unit's unused time, not two.
    const periodEnd = state.stripe.subscriptions.find((s) => s.id === subscriptionId)?.currentPeriodEnd ?? Number.NaN;
    await sim.post('/_sim/clock/advance', { seconds: periodEnd - state.clock.now + 1 });
    const after = await sim.get<{ stripe: { invoices: { id: string; subscription: string; billingReason: string; total: number; lines: { amount: number; quantity: number }[] }[] } }>('/_sim/state');
    const renewal = after.stripe.invoices.find((i) => i.subscription === subscriptionId && i.billingReason === 'subscription_cycle');
    expect(renewal?.lines.map((l) => [l.amount, l.quantity])).toEqual([
      [items[0].amount, 1],
      [300, 1],
    ]);
  });

  it('calls Stripe with no transaction open; a sync meanwhile leaves the account to the first, which sees its change and queues another', async () => {
    const { accountId, subscriptionId } = await account([['active', false], ['active', false], ['active', false]]);
    const { profileId } = await db.selectFrom('phoneNumbers').select('profileId').where('accountId', '=', accountId).executeTakeFirstOrThrow();
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/subscriptions/:id', action: 'delay', delayMs: 1500 });
    const first = handler.handle({ accountId, cause: 'a' }, ctx('sync-subscription-quantity.41'));
    await new Promise((r) => setTimeout(r, 500)); // the first is inside the delayed Stripe call
    expect(await transactionsLeftOpen(db)).toBe(0);
    // The account's billing lock is free: another billing change of the account takes it at once.
    const lock = db.transaction().execute(async (tx) => {
      await bed.moduleRef.get(BillingAccountRepository).lock(accountId, tx);
      return 'taken';
    });
    await expect(Promise.race([lock, new Promise((r) => setTimeout(() => r('waiting'), 300))])).resolves.toBe('taken');

    // A fourth number becomes billable meanwhile: its sync finds the items claimed and leaves them to the first.
    await db.insertInto('phoneNumbers').values({ id: newId(), accountId, profileId, country: 'US', status: 'active', paidFirst: false, monthlyCents: 300 }).execute();
    await expect(handler.handle({ accountId, cause: 'b' }, ctx('sync-subscription-quantity.42'))).resolves.toEqual({ synced: false, reason: 'sync_in_progress', quantity: 4 });

    // The first sets what it read, and queues another sync as it lets go: that one sets 4.
    await expect(first).resolves.toEqual({ synced: true, quantity: 3, previous: 1 });
    const queued = await db.selectFrom('outbox').selectAll().where('name', '=', 'sync-subscription-quantity').execute();
    const again = queued.map((row) => row.payload).filter((payload) => JSON.stringify(payload).includes(accountId));
    expect(again).toEqual([{ accountId, cause: 'billable numbers changed while sync-subscription-quantity.41 synced' }]);
    await expect(handler.handle({ accountId, cause: 'again' }, ctx('sync-subscription-quantity.43'))).resolves.toEqual({ synced: true, quantity: 4, previous: 3 });
    expect((await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(4);
    expect(await updatesOf(subscriptionId)).toEqual([
      ['sync-subscription-quantity.41.c1.q3', 'none'],
      ['sync-subscription-quantity.43.c2.q4', 'none'],
    ]);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({
      quantity: 4,
      quantitySyncJobId: null,
      quantitySyncClaimedAt: null,
    });
  });

  it('takes over a claim its sync left behind only once it is stale, starting from Stripe', async () => {
    const { accountId, subscriptionId } = await account([['active', false], ['active', false]]);
    const claimed = (at: Date) =>
      db.updateTable('billingAccounts').set({ quantitySyncJobId: 'sync-subscription-quantity.dead', quantitySyncClaimedAt: at }).where('accountId', '=', accountId).execute();

    // Stamped 5 s ago: its holder may still be calling Stripe.
    await claimed(new Date(Date.now() - 5_000));
    await expect(handler.handle({ accountId, cause: 'a' }, ctx('sync-subscription-quantity.51'))).resolves.toEqual({ synced: false, reason: 'sync_in_progress', quantity: 2 });
    expect(await updatesOf(subscriptionId)).toEqual([]);

    // Not stamped for a minute, longer than any Stripe call of its holder's: taken over, from the subscription as Stripe holds it.
    await claimed(new Date(Date.now() - 60_000));
    await expect(handler.handle({ accountId, cause: 'b' }, ctx('sync-subscription-quantity.52'))).resolves.toEqual({ synced: true, quantity: 2, previous: 1 });
    expect(await updatesOf(subscriptionId)).toEqual([['sync-subscription-quantity.52.c1.q2', 'none']]);
    const reads = (await simState()).requests.stripe.filter((r) => r.method === 'GET' && r.path === `/v1/subscriptions/${subscriptionId}`);
    expect(reads).toHaveLength(1);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ quantity: 2, quantitySyncJobId: null });
  });

  it('a retry after another sync set the items sends a fresh key: Stripe ends at the billable count, not an old answer replayed', async () => {
    const { accountId, subscriptionId } = await account([['active', false], ['active', false]]);
    const { profileId } = await db.selectFrom('phoneNumbers').select('profileId').where('accountId', '=', accountId).executeTakeFirstOrThrow();
    const job = 'sync-subscription-quantity.91';
    // J sets 2 and dies between Stripe's answer and its commit (as when stalled under load): its
    // claim and the stored quantities stay as they were, and its claim goes stale.
    await expect(handler.handle({ accountId, cause: 'a' }, ctx(job))).resolves.toEqual({ synced: true, quantity: 2, previous: 1 });
    await db
      .updateTable('billingAccounts')
      .set({ quantity: 1, quantitySyncJobId: job, quantitySyncClaimedAt: new Date(Date.now() - 60_000), updatedAt: new Date() })
      .where('accountId', '=', accountId)
      .execute();
    await db.updateTable('subscriptionItems').set({ quantity: 1, updatedAt: new Date() }).where('subscriptionId', '=', subscriptionId ?? '').execute();

    // A third number becomes billable: its sync K takes the stale claim over and sets 3.
    const third = newId();
    await db.insertInto('phoneNumbers').values({ id: third, accountId, profileId, country: 'US', status: 'active', paidFirst: false, monthlyCents: 300 }).execute();
    await expect(handler.handle({ accountId, cause: 'b' }, ctx('sync-subscription-quantity.92'))).resolves.toEqual({ synced: true, quantity: 3, previous: 2 });

    // The third number is released before its billing started: 2 again. J is retried by BullMQ
    // first, with the same target as before: it must set 2 at Stripe, not replay its old answer.
    await db.updateTable('phoneNumbers').set({ status: 'released', updatedAt: new Date() }).where('id', '=', third).execute();
    await expect(handler.handle({ accountId, cause: 'a' }, ctx(job))).resolves.toEqual({ synced: true, quantity: 2, previous: 3 });
    // The release's own sync trusts the record and makes no call: only Stripe itself can be wrong.
    await expect(handler.handle({ accountId, cause: 'release' }, ctx('sync-subscription-quantity.93'))).resolves.toEqual({ synced: false, reason: 'already_in_step', quantity: 2 });
    expect((await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity).toBe(2);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ quantity: 2, quantitySyncJobId: null });
    // A key per claim: J's first claim, K's takeover, J's claim after K let go.
    expect(await updatesOf(subscriptionId)).toEqual([
      [`${job}.c1.q2`, 'none'],
      ['sync-subscription-quantity.92.c2.q3', 'none'],
      [`${job}.c3.q2`, 'none'],
    ]);
  });

  it('a holder checks its claim before each Stripe call, and stops once it was taken over', async () => {
    const { accountId, subscriptionId, numberIds } = await account([['active', true], ['active', true]], true, 2);
    await billingStarted(accountId, subscriptionId, numberIds[0]);
    await db.updateTable('phoneNumbers').set({ status: 'released', updatedAt: new Date() }).where('id', '=', numberIds[0]).execute();
    // Its calls: read the subscription (a number leaves), set the items (slow), credit the unused time.
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'POST', path: '/v1/subscriptions/:id', action: 'delay', delayMs: 1500 });
    const holder = handler.handle({ accountId, cause: 'release' }, ctx('sync-subscription-quantity.81'));
    await new Promise((r) => setTimeout(r, 700)); // inside the slow call
    // Taken over meanwhile (as if its stamp had gone stale): it makes no further call.
    await db
      .updateTable('billingAccounts')
      .set({ quantitySyncJobId: 'sync-subscription-quantity.82', quantitySyncClaimedAt: new Date() })
      .where('accountId', '=', accountId)
      .execute();
    await expect(holder).rejects.toThrow(/was taken over from sync-subscription-quantity.81/);
    await sim.delete('/_sim/faults');
    const state = await sim.get<{ stripe: { invoiceItems: { subscription: string }[] } }>('/_sim/state');
    expect(state.stripe.invoiceItems.filter((i) => i.subscription === subscriptionId)).toEqual([]);
    expect(await db.selectFrom('billingAccounts').select('quantitySyncJobId').where('accountId', '=', accountId).executeTakeFirstOrThrow()).toEqual({
      quantitySyncJobId: 'sync-subscription-quantity.82',
    });
  });
});
