import type { JobContext } from '@numbers/messaging';
import { Database, PersistenceModule } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { startHandlerTestBed, type HandlerTestBed, type SimulatorProcess } from '@numbers/test-support';
import { BILLING_REPOSITORIES, createMoneyAccount, type MoneySimState } from '../testing/money-test-bed';
import { ReconcileSubscriptionQuantitiesHandler } from './reconcile-subscription-quantities.handler';
import { SubscriptionEnding } from './subscription-ending';
import { SubscriptionQuantitySync } from './subscription-quantity-sync';

jest.setTimeout(60_000);

/**
 * Integration: the scheduled reconciler against a real database of this file and the provider
 * simulator. Drift is made on purpose at Stripe (the subscription changed there directly, as from
 * the dashboard), then the reconciler runs, in batches of two.
 */
describe('ReconcileSubscriptionQuantitiesHandler', () => {
  let bed: HandlerTestBed<true>;
  let sim: SimulatorProcess;
  let db: Database;
  let stripe: StripeGateway;
  let reconciler: ReconcileSubscriptionQuantitiesHandler;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [ReconcileSubscriptionQuantitiesHandler, SubscriptionQuantitySync, SubscriptionEnding, ...BILLING_REPOSITORIES],
      captureWebhooks: true,
      env: { RECONCILE_BATCH_SIZE: '2' },
    });
    ({ sim } = bed);
    db = bed.moduleRef.get(Database);
    stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    reconciler = bed.moduleRef.get(ReconcileSubscriptionQuantitiesHandler);
  });

  afterAll(() => bed?.stop());

  const ctx = (n: number): JobContext => ({ jobId: `repeat:reconcile-subscription-quantities:${n}`, name: 'reconcile-subscription-quantities', queue: 'billing', attempt: 1, maxAttempts: 1 });
  const simState = () => sim.get<MoneySimState>('/_sim/state');
  const quantityAt = async (subscriptionId: string) => (await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity;
  const changesSince = async (from: number) => (await simState()).requests.stripe.slice(from).filter((r) => r.method !== 'GET');

  it('repairs drift made at Stripe through the quantity sync, logs it, and converges: the next runs change nothing', async () => {
    const inStep = await createMoneyAccount(db, stripe, [{ status: 'active' }]);
    const drifted = await createMoneyAccount(db, stripe, [{ status: 'active' }, { status: 'provisioning' }, { status: 'released' }]);
    const lost = await createMoneyAccount(db, stripe, [{ status: 'active' }, { status: 'active' }]);
    // Someone sets 5 at Stripe; and a sync of ours was lost: Stripe (and our record) still say 3 for two numbers.
    await stripe.setSubscriptionQuantity({ subscriptionId: drifted.subscriptionId, itemId: drifted.itemId, quantity: 5, prorationBehavior: 'none' }, 'dashboard-1');
    await stripe.setSubscriptionQuantity({ subscriptionId: lost.subscriptionId, itemId: lost.itemId, quantity: 3, prorationBehavior: 'none' }, 'lost-1');
    await db.updateTable('billingAccounts').set({ quantity: 3, updatedAt: new Date() }).where('accountId', '=', lost.accountId).execute();
    const warn = jest.spyOn((reconciler as unknown as { logger: { warn: (...args: unknown[]) => void } }).logger, 'warn');

    // Two accounts per run, least recently compared first: three runs see all three, then start over.
    const from = (await simState()).requests.stripe.length;
    const runs = [await reconciler.handle({}, ctx(1)), await reconciler.handle({}, ctx(2))];
    expect(runs.map((r) => r.checked)).toEqual([2, 2]);
    const repaired = runs.flatMap((r) => r.repaired);
    expect(repaired.sort((x, y) => x.accountId.localeCompare(y.accountId))).toEqual(
      [
        { accountId: drifted.accountId, before: 5, after: 2 },
        { accountId: lost.accountId, before: 3, after: 2 },
      ].sort((x, y) => x.accountId.localeCompare(y.accountId)),
    );
    expect(await quantityAt(drifted.subscriptionId)).toBe(2);
    expect(await quantityAt(lost.subscriptionId)).toBe(2);
    expect(await quantityAt(inStep.subscriptionId)).toBe(1);
    // Repaired as the sync repairs: no proration, a key per run and account; each repair logged with before and after.
    const changes = await changesSince(from);
    expect(changes.map((r) => [r.path, r.idempotencyKey])).toEqual(
      expect.arrayContaining([
        [`/v1/subscriptions/${drifted.subscriptionId}`, expect.stringMatching(new RegExp(`^repeat:reconcile-subscription-quantities:\\d\\.${drifted.accountId}\\.c\\d+\\.q2$`))],
        [`/v1/subscriptions/${lost.subscriptionId}`, expect.stringMatching(new RegExp(`^repeat:reconcile-subscription-quantities:\\d\\.${lost.accountId}\\.c\\d+\\.q2$`))],
      ]),
    );
    expect(changes).toHaveLength(2);
    expect(warn.mock.calls.map(([fields, message]) => [message, fields])).toEqual(
      expect.arrayContaining([['subscription quantity drift repaired', expect.objectContaining({ accountId: drifted.accountId, before: 5, after: 2 })]]),
    );
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', drifted.accountId).executeTakeFirstOrThrow()).toMatchObject({ quantity: 2 });

    // Converged: every account read at Stripe again, not one change.
    const again = (await simState()).requests.stripe.length;
    const next = [await reconciler.handle({}, ctx(3)), await reconciler.handle({}, ctx(4))];
    expect(next.flatMap((r) => r.repaired)).toEqual([]);
    expect(next.reduce((sum, r) => sum + r.checked, 0)).toBe(4);
    expect(await changesSince(again)).toEqual([]);
  });

  it('ends a subscription Stripe says ended whose webhook never came: its numbers go releasing', async () => {
    const account = await createMoneyAccount(db, stripe, [{ status: 'active' }]);
    await stripe.cancelSubscription(account.subscriptionId, `cancel-${account.subscriptionId}`); // its webhook goes nowhere that acts on it
    await db.updateTable('billingAccounts').set({ reconciledAt: new Date(), updatedAt: new Date() }).execute();
    await db.updateTable('billingAccounts').set({ reconciledAt: null, updatedAt: new Date() }).where('accountId', '=', account.accountId).execute();

    const report = await reconciler.handle({}, ctx(5));
    expect(report.ended).toEqual([{ accountId: account.accountId, status: 'canceled', released: account.numbers }]);
    expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', account.numbers[0]).executeTakeFirstOrThrow()).toMatchObject({ status: 'releasing' });
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', account.accountId).executeTakeFirstOrThrow()).toMatchObject({ subscriptionStatus: 'canceled' });
    // Ended: no longer compared with Stripe.
    await db.updateTable('billingAccounts').set({ reconciledAt: new Date(), updatedAt: new Date() }).execute();
    const later = await reconciler.handle({}, ctx(6));
    expect(later.ended).toEqual([]);
  });
});
