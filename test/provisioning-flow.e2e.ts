// A number from purchase to active, end to end: the built provider simulator, gateway,
// provisioning worker and billing worker as real processes on a database and Redis prefix of
// their own, driven through the public `@zernio/node` SDK. Every hop is the production one: the
// simulator's signed webhooks (Checkout, the carrier's order and the SMS carrying WhatsApp's
// code) reach the gateway's /webhooks/*, which stores them for the workers; the workers' jobs
// call the simulated Stripe, Telnyx and Meta.
import Zernio from '@zernio/node';
import { createPurchasedNumber, type Database } from '@numbers/persistence';
import { countOf, createTestAccountWithKey, eventually, type SimulatorProcess, type TestAccountWithKey } from '@numbers/test-support';
import { startSystem, type System } from './support/system';

const UNIT = 300; // the simulator's price, cents a month

interface SimInvoice {
  id: string;
  subscription: string | null;
  billingReason: string;
  total: number;
  created: number;
  lines: { amount: number; quantity: number; proration: boolean }[];
}
interface SimInvoiceItem {
  id: string;
  subscription: string | null;
  amount: number;
  proration: boolean;
  periodStart: number;
  periodEnd: number;
  metadata: Record<string, string>;
  invoice: string | null;
  created: number;
}
interface SimState {
  stripe: {
    subscriptions: {
      id: string;
      customer: string;
      status: string;
      quantity: number;
      trialEnd: number | null;
      currentPeriodStart: number;
      currentPeriodEnd: number;
    }[];
    checkoutSessions: { id: string; status: string; subscription: string | null }[];
    invoices: SimInvoice[];
    invoiceItems: SimInvoiceItem[];
  };
  telnyx: { orders: { id: string; customerReference: string | null; status: string }[]; numbers: { id: string; phoneNumber: string; status: string }[] };
  meta: { numbers: { id: string; phoneNumber: string; registered: boolean; codeVerificationStatus: string }[] };
  webhooks: { deliveries: { provider: string; eventType: string | null; delivered: boolean; lastStatus: number | null }[] };
}

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;

let system: System;
let db: Database;
let sim: SimulatorProcess;
let baseUrl: string;

function simState(): Promise<SimState> {
  return sim.get<SimState>('/_sim/state');
}

function unixTime(at: Date | null): number {
  if (!at) throw new Error('no time');
  return Math.floor(at.getTime() / 1000);
}

async function numberOf(accountId: string, id?: string) {
  let query = db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', accountId);
  if (id) query = query.where('id', '=', id);
  return query.orderBy('createdAt').limit(1).executeTakeFirstOrThrow();
}

/** Buys a first number and pays its Checkout the way the hosted page's Pay button does. */
async function buyAndPayFirstNumber(account: TestAccountWithKey, z: Zernio): Promise<string> {
  const bought = dataOf<{ checkoutUrl?: string }>(await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: account.profileId } }));
  expect(bought.checkoutUrl).toEqual(expect.stringContaining('/checkout/'));
  const number = await numberOf(account.accountId);
  expect(number).toMatchObject({ status: 'pending_payment', paidFirst: true });
  await sim.post(`/_sim/stripe/checkout/${number.stripeCheckoutSessionId}/pay`, {});
  return number.id;
}

beforeAll(async () => {
  system = await startSystem();
  ({ db, sim, baseUrl } = system);
}, 300_000);

afterAll(() => system?.stop());

describe('a number from purchase to active', () => {
  let acme: TestAccountWithKey;
  let z: Zernio;
  let firstId: string;
  let subscriptionId: string;

  beforeAll(async () => {
    acme = await createTestAccountWithKey(db, { name: 'Acme', planCode: 'growth' });
    z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
  });

  it('first number: paid at Checkout, ordered once, registered on WhatsApp, active; billed from activation only', async () => {
    const started = Date.now();
    firstId = await buyAndPayFirstNumber(acme, z);
    const active = await eventually('first number active', async () => {
      const number = await numberOf(acme.accountId, firstId);
      return number.status === 'active' ? number : null;
    });
    const activeAfterMs = Date.now() - started;

    expect(active).toMatchObject({ metaVerificationStatus: 'VERIFIED', phoneNumber: expect.stringMatching(/^\+1\d{10}$/) });
    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', firstId).where('applied', '=', true).orderBy('id').execute();
    expect(history.map((h) => [h.event, h.toStatus, h.actor])).toEqual([
      ['purchase_accepted', 'pending_payment', 'customer'],
      ['payment_confirmed', 'provisioning', 'stripe'],
      ['number_ordered', 'verifying', 'telnyx'],
      ['whatsapp_verified', 'active', 'telnyx'],
    ]);

    subscriptionId = await eventually('billing started', async () => {
      const row = await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', acme.accountId).executeTakeFirst();
      const charged = await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', firstId).where('kind', '=', 'charge'));
      return charged === 1 ? row?.stripeSubscriptionId : null;
    });
    const state = await simState();
    // The carrier: one order, for this number, fulfilled; the number is held.
    const orders = state.telnyx.orders.filter((o) => o.customerReference === firstId);
    expect(orders.map((o) => o.status)).toEqual(['success']);
    expect(state.telnyx.numbers.find((n) => n.phoneNumber === active.phoneNumber)?.id).toBe(active.telnyxNumberId);
    // Meta: the number registered.
    expect(state.meta.numbers.find((n) => n.id === active.metaPhoneNumberId)).toMatchObject({ registered: true, codeVerificationStatus: 'VERIFIED' });
    // Stripe: one subscription, one unit, trial ended; nothing charged before activation.
    const subscription = state.stripe.subscriptions.find((s) => s.id === subscriptionId);
    expect(subscription).toMatchObject({ status: 'active', quantity: 1 });
    const activatedAt = unixTime(active.activatedAt);
    expect(subscription?.trialEnd).toBeGreaterThanOrEqual(activatedAt);
    // Read by what made each invoice, not by its second (a fast run activates within the second
    // the Checkout was paid): the subscription's start charged nothing (the trial), the trial's
    // end at activation charged the first period.
    const invoices = state.stripe.invoices.filter((i) => i.subscription === subscriptionId);
    expect(invoices.map((i) => [i.billingReason, i.total]).sort()).toEqual([
      ['subscription_create', 0],
      ['subscription_update', UNIT],
    ]);
    const charged = invoices.find((i) => i.total > 0);
    expect(charged?.created).toBeGreaterThanOrEqual(activatedAt);
    console.log(`first number: purchase to active in ${activeAfterMs} ms`);
  });

  it('second number, bought inline: active, the rest of the period invoiced once (pending for the next invoice); quantity 2', async () => {
    const started = Date.now();
    const bought = dataOf<{ phoneNumber?: { id: string; status: string } }>(
      await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId, allowMultiple: true } }),
    );
    expect(bought.phoneNumber).toMatchObject({ id: expect.any(String), status: 'provisioning' });
    const secondId = bought.phoneNumber?.id ?? '';
    const active = await eventually('second number active', async () => {
      const number = await numberOf(acme.accountId, secondId);
      return number.status === 'active' ? number : null;
    });
    await eventually('second billing started', async () => (await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', secondId).where('kind', '=', 'charge'))) === 1);
    console.log(`second number: purchase to active in ${Date.now() - started} ms`);
    // Its slot comes from the quantity sync, which waits a moment for more purchases of a burst
    // (QUANTITY_SYNC_DELAY_MS): it may land just after the number is active.
    await eventually('its slot in the quantity', async () => (await simState()).stripe.subscriptions.find((s) => s.id === subscriptionId)?.quantity === 2);

    const state = await simState();
    const subscription = state.stripe.subscriptions.find((s) => s.id === subscriptionId);
    if (!subscription) throw new Error(`subscription ${subscriptionId} is gone`);
    expect(subscription).toMatchObject({ status: 'active', quantity: 2 });
    expect(state.telnyx.orders.filter((o) => o.customerReference === secondId)).toHaveLength(1);
    const activatedAt = unixTime(active.activatedAt);
    // One invoice item for the second number: one unit from its activation to the period's end,
    // as Stripe prorates it, left pending for the subscription's next invoice.
    const items = state.stripe.invoiceItems.filter((i) => i.subscription === subscriptionId);
    expect(items).toEqual([expect.objectContaining({ proration: false, invoice: null, metadata: { numberId: secondId } })]);
    const [item] = items;
    const { currentPeriodStart: periodStart, currentPeriodEnd: periodEnd } = subscription;
    expect(item).toMatchObject({ periodStart: activatedAt, periodEnd });
    expect(item.amount).toBe(Math.round((UNIT * (periodEnd - activatedAt)) / (periodEnd - periodStart)));
    expect(item.amount).toBeGreaterThan(0);
    expect(item.amount).toBeLessThanOrEqual(UNIT);
    expect(item.created).toBeGreaterThanOrEqual(activatedAt);
    const ledger = await db.selectFrom('ledgerEntries').selectAll().where('numberId', '=', secondId).where('kind', '=', 'charge').limit(1).executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ amountCents: item.amount, subscriptionId, stripeObjectType: 'invoice_item', stripeObjectId: item.id });
    // Nothing charged for it before activation, nor since: still only the two invoices of the
    // first number (its trial and its first period).
    const invoices = state.stripe.invoices.filter((i) => i.subscription === subscriptionId);
    expect(invoices.map((i) => [i.billingReason, i.total]).sort()).toEqual([
      ['subscription_create', 0],
      ['subscription_update', UNIT],
    ]);
  });
});

describe('every provider webhook delivered five times, shuffled', () => {
  it('reaches the same end state, with no extra order, registration or charge', async () => {
    const other = await createTestAccountWithKey(db, { name: 'Globex', planCode: 'growth' });
    const z = new Zernio({ apiKey: other.apiKey, baseURL: baseUrl });
    const policy = await fetch(`${sim.url}/_sim/webhooks/policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ copies: 5, shuffle: true }),
    });
    expect(policy.ok).toBe(true);
    try {
      const numberId = await buyAndPayFirstNumber(other, z);
      const active = await eventually('number active', async () => {
        const number = await numberOf(other.accountId, numberId);
        return number.status === 'active' ? number : null;
      });
      await eventually('billing started', async () => (await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numberId).where('kind', '=', 'charge'))) === 1);
      await sim.post('/_sim/webhooks/drain', { timeoutMs: 20_000 });
      await eventually('every webhook processed', async () => (await countOf(db.selectFrom('webhookEvents').where('processedAt', 'is', null))) === 0);

      const billing = await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', other.accountId).executeTakeFirstOrThrow();
      const state = await simState();
      expect(state.webhooks.deliveries.filter((d) => d.eventType === 'checkout.session.completed' && d.delivered).length).toBeGreaterThanOrEqual(5);
      expect(state.telnyx.orders.filter((o) => o.customerReference === numberId)).toHaveLength(1);
      expect(state.meta.numbers.filter((n) => n.phoneNumber === active.phoneNumber && n.registered)).toHaveLength(1);
      expect(state.stripe.subscriptions.filter((s) => s.customer === billing.stripeCustomerId)).toEqual([
        expect.objectContaining({ id: billing.stripeSubscriptionId, status: 'active', quantity: 1 }),
      ]);
      const invoices = state.stripe.invoices.filter((i) => i.subscription === billing.stripeSubscriptionId);
      expect(invoices.reduce((sum, i) => sum + i.total, 0)).toBe(UNIT);
      const applied = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).where('applied', '=', true).execute();
      expect(applied.map((h) => h.event).sort()).toEqual(['number_ordered', 'payment_confirmed', 'purchase_accepted', 'whatsapp_verified']);
    } finally {
      await fetch(`${sim.url}/_sim/webhooks/policy`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ copies: 1, shuffle: false }),
      });
    }
  });
});

describe('a first purchase whose Checkout creation and undo both failed', () => {
  it('a retry with its purchaseIntentId answers a checkoutUrl that pays, and the number goes active', async () => {
    const acme = await createTestAccountWithKey(db, { name: 'Undo failed', planCode: 'growth' });
    const z = new Zernio({ apiKey: acme.apiKey, baseURL: baseUrl });
    // What the failed attempt left: pending_payment with its intent, no Checkout Session.
    const stuck = await db.transaction().execute((tx) =>
      createPurchasedNumber(tx, { accountId: acme.accountId, profileId: acme.profileId, country: 'US', numberType: 'local', monthlyCents: UNIT, purchaseIntentId: 'intent-stuck', cause: 'req-stuck' }),
    );

    const retried = dataOf<{ checkoutUrl?: string }>(
      await z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: acme.profileId, purchaseIntentId: 'intent-stuck' } }),
    );
    expect(retried.checkoutUrl).toEqual(expect.stringContaining('/checkout/'));
    const number = await numberOf(acme.accountId, stuck.id);
    expect(number).toMatchObject({ status: 'pending_payment', stripeCheckoutSessionId: expect.stringMatching(/^cs_/) });

    await sim.post(`/_sim/stripe/checkout/${number.stripeCheckoutSessionId}/pay`, {});
    await eventually('the resumed number active', async () => (await numberOf(acme.accountId, stuck.id)).status === 'active');
    expect(await countOf(db.selectFrom('phoneNumbers').where('accountId', '=', acme.accountId))).toBe(1);
  });
});
