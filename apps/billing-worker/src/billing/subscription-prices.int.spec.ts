import { newId, restOfPeriodCents } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { Database, PersistenceModule } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { countOf, startHandlerTestBed, type HandlerTestBed, type SimulatorProcess } from '@numbers/test-support';
import { BILLING_REPOSITORIES, createMoneyAccount, renew, type MoneySimState } from '../testing/money-test-bed';
import { StartBillingHandler } from './start-billing.handler';
import { SubscriptionQuantitySync } from './subscription-quantity-sync';
import { SyncSubscriptionQuantityHandler } from './sync-subscription-quantity.handler';

jest.setTimeout(60_000);

const US = 300;
const DE = 900;

/**
 * Integration: numbers of different monthly prices on one subscription, one item per price
 * (docs/billing.md), against a real database of this file and the provider simulator through the
 * real stripe SDK.
 */
describe('subscription items per price', () => {
  let bed: HandlerTestBed;
  let sim: SimulatorProcess;
  let db: Database;
  let stripe: StripeGateway;
  let startBilling: StartBillingHandler;
  let sync: SyncSubscriptionQuantityHandler;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [StartBillingHandler, SyncSubscriptionQuantityHandler, SubscriptionQuantitySync, ...BILLING_REPOSITORIES],
    });
    ({ sim } = bed);
    db = bed.moduleRef.get(Database);
    stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    startBilling = bed.moduleRef.get(StartBillingHandler);
    sync = bed.moduleRef.get(SyncSubscriptionQuantityHandler);
  });

  afterAll(() => bed?.stop());

  const ctx = (name: JobContext['name'], jobId: string): JobContext => ({ jobId, name, queue: 'billing', attempt: 1, maxAttempts: 10 });
  const state = () => sim.get<MoneySimState>('/_sim/state');
  const subscriptionOf = async (id: string) => (await state()).stripe.subscriptions.find((s) => s.id === id);
  const itemsAtStripe = async (subscriptionId: string) =>
    Object.fromEntries((await stripe.getSubscription(subscriptionId)).items.map((item) => [item.unitAmountCents, item.quantity]));

  /** A DE number joins the account: paid for (a slot), then active. */
  async function addGermanNumber(accountId: string): Promise<string> {
    const profile = await db.selectFrom('profiles').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();
    const id = newId();
    await db
      .insertInto('phoneNumbers')
      .values({ id, accountId, profileId: profile.id, country: 'DE', status: 'provisioning', paidFirst: true, phoneNumber: '+4930123456', monthlyCents: DE })
      .execute();
    await db
      .insertInto('numberStatusHistory')
      .values({ numberId: id, actor: 'system', cause: 'test', event: 'payment_confirmed', fromStatus: 'pending_payment', toStatus: 'provisioning', at: new Date(Date.now() - 60_000) })
      .execute();
    return id;
  }

  /** Active now by the simulator's clock (Stripe's test clock, which the tests move ahead). */
  async function activate(numberId: string): Promise<Date> {
    const at = new Date((await state()).clock.now * 1000);
    await db.updateTable('phoneNumbers').set({ status: 'active', activatedAt: at, updatedAt: new Date() }).where('id', '=', numberId).execute();
    await db.insertInto('numberStatusHistory').values({ numberId, actor: 'system', cause: 'test', event: 'whatsapp_verified', fromStatus: 'verifying', toStatus: 'active', at }).execute();
    return at;
  }

  it('ends the trial of a DE first number at its own price: the first period charges 900', async () => {
    const account = await createMoneyAccount(db, stripe, []);
    const de = await addGermanNumber(account.accountId);
    await activate(de);
    // As Checkout leaves it for a DE first number: a trialing subscription of its price alone.
    const price = await stripe.numberPrice(DE, 'usd', `number-price-${DE}`);
    const subscription = await stripe.createSubscription(
      { customerId: account.customerId, accountId: account.accountId, quantity: 1, priceId: price.priceId, trialEnd: (await state()).clock.now + 30 * 24 * 3600 },
      `sub-trial-${account.accountId}`,
    );
    await db
      .updateTable('billingAccounts')
      .set({ stripeSubscriptionId: subscription.id, stripeSubscriptionItemId: subscription.items[0].id, subscriptionStatus: 'trialing', quantity: 1, updatedAt: new Date() })
      .where('accountId', '=', account.accountId)
      .execute();
    await db
      .insertInto('subscriptionItems')
      .values({ accountId: account.accountId, subscriptionId: subscription.id, monthlyCents: DE, priceId: price.priceId, itemId: subscription.items[0].id, quantity: 1 })
      .execute();

    const outcome = await startBilling.handle({ numberId: de }, ctx('start-billing', 'start-billing.de-first'));
    expect(outcome).toMatchObject({ started: true, how: 'trial_ended', amountCents: DE });
    const invoice = await stripe.getInvoice((outcome as { invoiceId: string }).invoiceId);
    expect(invoice.total).toBe(DE);
    expect(await itemsAtStripe(subscription.id)).toEqual({ [DE]: 1 });
  });

  it('releasing the DE number zeroes its item and credits its unused time at 900; the US item is untouched', async () => {
    const account = await createMoneyAccount(db, stripe, [{ status: 'active' }, { status: 'active', country: 'DE', monthlyCents: DE }]);
    const [us, de] = account.numbers;
    expect(await itemsAtStripe(account.subscriptionId)).toEqual({ [US]: 1, [DE]: 1 });
    await startBilling.handle({ numberId: us }, ctx('start-billing', 'start-billing.us2'));
    await startBilling.handle({ numberId: de }, ctx('start-billing', 'start-billing.de2'));

    // Released ten days into the period (the simulator's clock, as Stripe's test clock).
    await sim.post('/_sim/clock/advance', { seconds: 10 * 24 * 3600 });
    const leftAt = new Date((await state()).clock.now * 1000);
    await db.updateTable('phoneNumbers').set({ status: 'releasing', updatedAt: new Date() }).where('id', '=', de).execute();
    await db.insertInto('numberStatusHistory').values({ numberId: de, actor: 'system', cause: 'test', event: 'release_requested', fromStatus: 'active', toStatus: 'releasing', at: leftAt }).execute();
    await expect(sync.handle({ accountId: account.accountId, cause: 'release' }, ctx('sync-subscription-quantity', 'sync.release'))).resolves.toEqual({
      synced: true,
      quantity: 1,
      previous: 2,
      credited: 1,
    });
    expect(await itemsAtStripe(account.subscriptionId)).toEqual({ [US]: 1, [DE]: 0 });
    const period = await subscriptionOf(account.subscriptionId);
    if (!period) throw new Error('no subscription');
    const unused = restOfPeriodCents({ unitAmountCents: DE, periodStart: period.currentPeriodStart, periodEnd: period.currentPeriodEnd, at: Math.floor(leftAt.getTime() / 1000) });
    expect(unused).toBeGreaterThan(US);
    expect(unused).toBeLessThan(DE); // released during the period: only the time left is credited
    const credit = (await state()).stripe.invoiceItems.find((i) => i.metadata['numberId'] === de && i.metadata['reason'] === 'unused_time');
    expect(credit?.amount).toBe(-unused);
    const proration = await db.selectFrom('ledgerEntries').selectAll().where('numberId', '=', de).where('kind', '=', 'proration').executeTakeFirstOrThrow();
    expect(proration.amountCents).toBe(-unused);
    expect(await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', us).where('kind', '=', 'proration'))).toBe(0);

    // Run again: in step, nothing more at Stripe.
    await expect(sync.handle({ accountId: account.accountId, cause: 'release' }, ctx('sync-subscription-quantity', 'sync.release.2'))).resolves.toMatchObject({
      synced: false,
      reason: 'already_in_step',
    });
  });

  it('adds an item for a new price, charges the DE number from 900, and renews at 300 + 900 = 1,200', async () => {
    const account = await createMoneyAccount(db, stripe, [{ status: 'active' }]);
    const us = account.numbers[0];
    await expect(startBilling.handle({ numberId: us }, ctx('start-billing', 'start-billing.us'))).resolves.toMatchObject({ started: true });

    // The DE number's slot: an item for the 900 price (found or created by lookup key), no proration.
    const de = await addGermanNumber(account.accountId);
    await expect(sync.handle({ accountId: account.accountId, cause: 'purchase' }, ctx('sync-subscription-quantity', 'sync.de'))).resolves.toMatchObject({
      synced: true,
      quantity: 2,
    });
    expect(await itemsAtStripe(account.subscriptionId)).toEqual({ [US]: 1, [DE]: 1 });
    const price = await stripe.numberPrice(DE, 'usd', 'unused-key');
    expect(price).toMatchObject({ unitAmountCents: DE });
    const rows = await db.selectFrom('subscriptionItems').selectAll().where('subscriptionId', '=', account.subscriptionId).orderBy('monthlyCents', 'asc').execute();
    expect(rows.map((r) => [r.monthlyCents, r.quantity, r.priceId])).toEqual([
      [US, 1, expect.any(String)],
      [DE, 1, price.priceId],
    ]);
    const added = (await state()).requests.stripe.find((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${account.subscriptionId}` && r.idempotencyKey === 'sync.de.c1.q300x1.900x1');
    expect(added).toBeDefined();
    expect((await state()).stripe.invoiceItems.filter((i) => i.subscription === account.subscriptionId)).toEqual([]); // a slot costs nothing

    // Active ten days into the period: the rest of the period from activation, at the DE number's own price.
    await sim.post('/_sim/clock/advance', { seconds: 10 * 24 * 3600 });
    const activatedAt = await activate(de);
    const period = await subscriptionOf(account.subscriptionId);
    if (!period) throw new Error('no subscription');
    const expected = restOfPeriodCents({
      unitAmountCents: DE,
      periodStart: period.currentPeriodStart,
      periodEnd: period.currentPeriodEnd,
      at: Math.floor(activatedAt.getTime() / 1000),
    });
    expect(expected).toBeGreaterThan(US); // prorated from 900, not from one price for every number
    expect(expected).toBeLessThan(DE);
    await expect(startBilling.handle({ numberId: de }, ctx('start-billing', 'start-billing.de'))).resolves.toEqual({
      started: true,
      how: 'rest_of_period_invoiced',
      invoiceItemId: expect.any(String),
      amountCents: expected,
    });
    const charge = await db.selectFrom('ledgerEntries').selectAll().where('numberId', '=', de).where('kind', '=', 'charge').executeTakeFirstOrThrow();
    expect(charge.amountCents).toBe(expected);

    // The renewal: one unit of each price, 1,200, plus the DE number's pending rest of the period.
    await renew(sim, account.subscriptionId);
    const renewal = (await stripe.listInvoices({ subscriptionId: account.subscriptionId })).find((i) => i.billingReason === 'subscription_cycle');
    if (!renewal) throw new Error('no renewal invoice');
    const periodLines = renewal.lines.filter((l) => l.subscriptionItemId !== null && !l.proration && !l.invoiceItemId);
    expect(periodLines.map((l) => l.amount).sort((a, b) => a - b)).toEqual([US, DE]);
    expect(renewal.total).toBe(US + DE + expected);
  });
});
