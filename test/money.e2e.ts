// Money, end to end: the built provider simulator, gateway, provisioning worker and billing
// worker as real processes on a database and Redis prefix of their own, driven through the public
// `@zernio/node` SDK and the simulator's control API (Stripe's clock, a declined card, the
// dashboard). Every hop is the production one: the simulator's signed webhooks reach the
// gateway's /webhooks/*, the billing worker's handlers and jobs call the simulated Stripe.
//
// The simulator's clock is shared by every account here and only moves forward, so the scenarios
// run in order; each one looks only at its own account's invoices, credit notes and ledger.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Zernio from '@zernio/node';
import { ledgerTotalCents } from '@numbers/domain';
import type { Database } from '@numbers/persistence';
import { createStripeClient } from '@numbers/providers';
import { countOf, createTestAccountWithKey, eventually, startCustomerWebhookReceiver, type CustomerWebhookReceiver, type SimulatorProcess, type TestAccountWithKey } from '@numbers/test-support';
import { setWebhookPolicy, startSystem, type System } from './support/system';
import type Stripe from 'stripe';

const UNIT = 300; // the simulator's price, cents a month

interface SimState {
  clock: { now: number };
  stripe: {
    customers: { id: string; balance: number }[];
    subscriptions: { id: string; customer: string; status: string; quantity: number; currentPeriodEnd: number }[];
    checkoutSessions: { id: string; status: string; subscription: string | null }[];
    invoices: { id: string; customer: string; subscription: string | null; billingReason: string; status: string; total: number; amountPaid: number; lines: { amount: number; quantity: number }[] }[];
    creditNotes: { id: string; customer: string; invoice: string; amount: number; creditAmount: number; metadata: Record<string, string> }[];
  };
  requests: { stripe: { method: string; path: string }[] };
}

/** What a scenario ended with, in terms that do not depend on ids: compared across deliveries. */
type Outcome = Record<string, unknown>;

const dataOf = <T>(result: { data?: unknown }): T => result.data as T;
const run = promisify(execFile);

let system: System;
let db: Database;
let sim: SimulatorProcess;
let baseUrl: string;
let stripe: Stripe;
let receiver: CustomerWebhookReceiver;

const simState = () => sim.get<SimState>('/_sim/state');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const numberOf = (id: string) => db.selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** Every stored webhook processed, every outbox row published, no job of the billing worker waiting. */
async function settled(): Promise<void> {
  await sim.post('/_sim/webhooks/drain', { timeoutMs: 20_000 });
  await eventually('every webhook processed', async () => (await countOf(db.selectFrom('webhookEvents').where('processedAt', 'is', null))) === 0);
  await eventually('every outbox row published', async () => (await countOf(db.selectFrom('outbox').where('publishedAt', 'is', null))) === 0);
}

class Customer {
  readonly z: Zernio;
  constructor(readonly account: TestAccountWithKey) {
    this.z = new Zernio({ apiKey: account.apiKey, baseURL: baseUrl });
  }

  get accountId(): string {
    return this.account.accountId;
  }

  async status(numberId: string): Promise<string | undefined> {
    const found = dataOf<{ phoneNumber?: { status?: string } }>(await this.z.whatsappphonenumbers.getWhatsAppPhoneNumber({ path: { phoneNumberId: numberId } }));
    return found.phoneNumber?.status;
  }

  async waitFor(numberId: string, status: string, timeoutMs?: number): Promise<void> {
    await eventually(`number ${numberId} ${status}`, async () => (await this.status(numberId)) === status, timeoutMs);
  }

  async billing() {
    return db.selectFrom('billingAccounts').selectAll().where('accountId', '=', this.accountId).executeTakeFirstOrThrow();
  }

  async ledger() {
    return db.selectFrom('ledgerEntries').selectAll().where('accountId', '=', this.accountId).orderBy('at').orderBy('id').execute();
  }

  /** The first number: bought, paid at Checkout (the hosted page's Pay button), active, billing started. */
  async firstNumberActive(): Promise<string> {
    const bought = dataOf<{ checkoutUrl?: string }>(await this.z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: this.account.profileId } }));
    expect(bought.checkoutUrl).toEqual(expect.stringContaining('/checkout/'));
    const number = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', this.accountId).orderBy('createdAt', 'desc').limit(1).executeTakeFirstOrThrow();
    await sim.post(`/_sim/stripe/checkout/${number.stripeCheckoutSessionId}/pay`, {});
    await this.waitFor(number.id, 'active');
    await eventually('billing started', async () => (await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', number.id).where('kind', '=', 'charge'))) === 1);
    return number.id;
  }

  /** A later number, bought inline (the subscription's quantity takes its slot). */
  async buyAnother(): Promise<string> {
    const bought = dataOf<{ phoneNumber?: { id: string } }>(
      await this.z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: this.account.profileId, allowMultiple: true } }),
    );
    if (!bought.phoneNumber) throw new Error('no number bought');
    return bought.phoneNumber.id;
  }

  /** The account's money at Stripe. */
  async atStripe() {
    const { stripeCustomerId: customerId, stripeSubscriptionId: subscriptionId } = await this.billing();
    const state = await simState();
    return {
      state,
      customerId,
      subscriptionId,
      subscription: state.stripe.subscriptions.find((s) => s.id === subscriptionId),
      invoices: state.stripe.invoices.filter((i) => i.customer === customerId),
      creditNotes: state.stripe.creditNotes.filter((n) => n.customer === customerId),
      balance: state.stripe.customers.find((c) => c.id === customerId)?.balance,
    };
  }
}

async function newCustomer(name: string): Promise<Customer> {
  return new Customer(await createTestAccountWithKey(db, { name, planCode: 'growth' }));
}

/** The ledger as rows that do not depend on ids: [kind, which number, amount]. */
function ledgerShape(rows: { kind: string; numberId: string | null; amountCents: number }[], roles: Record<string, string>): [string, string, number][] {
  return rows.map((r): [string, string, number] => [r.kind, r.numberId ? (roles[r.numberId] ?? 'other') : '-', r.amountCents]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Moves Stripe's clock a month on: every subscription renews (once: none is more than a period behind). */
async function nextMonth(): Promise<void> {
  const state = await simState();
  const { clock } = state;
  const latestEnd = Math.max(...state.stripe.subscriptions.filter((s) => s.status !== 'canceled').map((s) => s.currentPeriodEnd), clock.now);
  await sim.post('/_sim/clock/advance', { seconds: latestEnd - clock.now + 60 });
}

beforeAll(async () => {
  receiver = await startCustomerWebhookReceiver();
  system = await startSystem(
    {
      // The reconciler every second; a WhatsApp code that never comes ends its number after 15 s.
      SCHEDULE_RECONCILE_SUBSCRIPTION_QUANTITIES_MS: '1000',
      SCHEDULE_RESUME_STALLED_PROVISIONING_MS: '500',
      WHATSAPP_CODE_TIMEOUT_MS: '15000',
      WHATSAPP_CODE_MAX_REQUESTS: '1',
    },
    { deliveries: true },
  );
  ({ db, sim, baseUrl } = system);
  stripe = createStripeClient(system.config.stripe);
}, 300_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.stop();
});

/** Checkout expired: the number is released, and nothing was charged. */
async function checkoutExpired(customer: Customer): Promise<Outcome> {
  const bought = dataOf<{ checkoutUrl?: string }>(await customer.z.whatsappphonenumbers.purchaseWhatsAppPhoneNumber({ body: { profileId: customer.account.profileId } }));
  expect(bought.checkoutUrl).toBeDefined();
  const number = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', customer.accountId).limit(1).executeTakeFirstOrThrow();
  await sim.post(`/_sim/stripe/checkout/${number.stripeCheckoutSessionId}/expire`, {});
  await customer.waitFor(number.id, 'released');
  await settled();
  const released = await numberOf(number.id);
  const { invoices, creditNotes, state } = await customer.atStripe();
  const session = state.stripe.checkoutSessions.find((s) => s.id === number.stripeCheckoutSessionId);
  return {
    status: released.status,
    failureReason: released.failureReason,
    session: [session?.status, session?.subscription],
    invoices: invoices.length,
    creditNotes: creditNotes.length,
    ledger: await customer.ledger(),
  };
}

/** A renewal the card declines: the account's active number suspended; the invoice paid: active again. */
async function paymentFailedThenPaid(customer: Customer): Promise<Outcome> {
  const hook = `/${customer.accountId}`;
  await customer.z.webhooks.createWebhookSettings({ body: { name: 'numbers', url: `${receiver.url}${hook}`, events: ['whatsapp.number.suspended', 'whatsapp.number.reactivated'] } });
  const numberId = await customer.firstNumberActive();
  const { stripeCustomerId } = await customer.billing();
  await sim.post('/_sim/stripe/fail-next-payment', { customer: stripeCustomerId });
  await nextMonth();
  await customer.waitFor(numberId, 'suspended');
  const suspended = await numberOf(numberId);
  const { invoices: afterFailure, subscription } = await customer.atStripe();
  const failed = afterFailure.find((i) => i.billingReason === 'subscription_cycle');
  if (!failed) throw new Error('no renewal invoice');
  expect([failed.status, subscription?.status]).toEqual(['open', 'past_due']);
  expect(suspended.suspensionReason).toBe(`payment failed: invoice ${failed.id} ($3.00 due, attempt 1) is unpaid`);

  // The customer pays it (Stripe's retry, or the hosted invoice page).
  await stripe.invoices.pay(failed.id, {}, { idempotencyKey: `pay-${failed.id}` });
  await customer.waitFor(numberId, 'active');
  await settled();
  const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).where('applied', '=', true).orderBy('id').execute();
  const { invoices, creditNotes } = await customer.atStripe();
  const ledger = await customer.ledger();
  return {
    statuses: history.map((h) => h.toStatus),
    subscription: (await customer.atStripe()).subscription?.status,
    invoices: invoices.map((i) => [i.billingReason, i.status, i.total, i.amountPaid]).sort(),
    creditNotes: creditNotes.length,
    ledger: ledgerShape(ledger, { [numberId]: 'number' }),
    total: ledgerTotalCents(ledger),
    charges: await countOf(db.selectFrom('ledgerEntries').where('numberId', '=', numberId).where('kind', '=', 'charge')),
    // One customer event per change, heard by the customer (the five-copies run compares these too).
    born: (await db.selectFrom('customerEvents').select('type').where('accountId', '=', customer.accountId).orderBy('createdAt').execute()).map((e) => e.type),
    heard: (await eventually('suspended and reactivated delivered', async () => (receiver.deliveries(hook).length >= 2 ? receiver.deliveries(hook) : null))).map((d) => d.body.event),
  };
}

/**
 * A second number whose WhatsApp code never comes: it holds its paid slot while verifying, a
 * renewal charges that slot, the slot is credited back; the number is released, never active.
 */
async function failedToProvision(customer: Customer): Promise<Outcome & { numbers: Record<string, string> }> {
  const first = await customer.firstNumberActive();
  await sim.post('/_sim/meta/next-code-sms', { drop: true });
  const second = await customer.buyAnother();
  await eventually('second number waiting for its code', async () => {
    const number = await numberOf(second);
    return number.status === 'verifying' && number.whatsappCodeRequests === 1;
  });
  await eventually('its slot in the quantity', async () => (await customer.atStripe()).subscription?.quantity === 2);

  await nextMonth(); // the renewal charges both units: the active number and the slot
  const credited = await eventually('the slot credited', async () => (await customer.atStripe()).creditNotes.find((n) => n.metadata['numberId'] === second));
  await customer.waitFor(second, 'released', 60_000);
  await settled();
  await eventually('the quantity back to one', async () => (await customer.atStripe()).subscription?.quantity === 1);

  const { invoices, creditNotes, balance, subscription } = await customer.atStripe();
  const renewal = invoices.find((i) => i.billingReason === 'subscription_cycle');
  expect(renewal).toMatchObject({ status: 'paid', total: 2 * UNIT, lines: [{ quantity: 2, amount: 2 * UNIT }] });
  expect(credited).toMatchObject({ invoice: renewal?.id, amount: UNIT, creditAmount: UNIT });
  const ended = await numberOf(second);
  const ledger = await customer.ledger();
  const ofSecond = ledger.filter((r) => r.numberId === second);
  return {
    numbers: { [first]: 'first', [second]: 'second' },
    second: [ended.status, ended.failureReason, ended.activatedAt],
    quantity: subscription?.quantity,
    invoices: invoices.map((i) => [i.billingReason, i.status, i.total]).sort(),
    creditNotes: creditNotes.map((n) => [n.amount, n.creditAmount, n.invoice === renewal?.id]),
    balance,
    ledger: ledgerShape(ledger, { [first]: 'first', [second]: 'second' }),
    billedForSecond: ledgerTotalCents(ofSecond),
    total: ledgerTotalCents(ledger),
  };
}

describe('money end to end', () => {
  const outcomes: Record<string, Outcome> = {};

  it('checkout expired: the number is released and nothing is charged', async () => {
    const outcome = await checkoutExpired(await newCustomer('Expired'));
    expect(outcome).toEqual({ status: 'released', failureReason: 'checkout expired unpaid', session: ['expired', null], invoices: 0, creditNotes: 0, ledger: [] });
    outcomes['expired'] = outcome;
  });

  it('drift at Stripe is repaired by the reconciler, logged, and left alone once in step', async () => {
    const customer = await newCustomer('Drift');
    await customer.firstNumberActive();
    const { stripeSubscriptionId, stripeSubscriptionItemId } = await customer.billing();
    if (!stripeSubscriptionId || !stripeSubscriptionItemId) throw new Error('no subscription');
    // Someone sets 4 in the dashboard.
    await stripe.subscriptions.update(stripeSubscriptionId, { items: [{ id: stripeSubscriptionItemId, quantity: 4 }], proration_behavior: 'none' }, { idempotencyKey: `dashboard-${stripeSubscriptionId}` });
    expect((await customer.atStripe()).subscription?.quantity).toBe(4);

    await eventually('the quantity back to 1', async () => (await customer.atStripe()).subscription?.quantity === 1, 30_000);
    await eventually('the repair logged', async () => system.billing.logs().split('\n').some((line) => line.includes('subscription quantity drift repaired') && line.includes(customer.accountId) && line.includes('"before":4') && line.includes('"after":1')));
    // In step: the next runs (one a second) read it and change nothing.
    const changes = async () => (await simState()).requests.stripe.filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${stripeSubscriptionId}`).length;
    const before = await changes();
    await pause(3500);
    expect(await changes()).toBe(before);
    expect((await customer.atStripe()).subscription?.quantity).toBe(1);
  });

  it('payment failed, then paid: the number is suspended, then active again, billed once per period', async () => {
    const outcome = await paymentFailedThenPaid(await newCustomer('Declined'));
    expect(outcome).toMatchObject({
      statuses: ['pending_payment', 'provisioning', 'verifying', 'active', 'suspended', 'active'],
      subscription: 'active',
      invoices: [
        ['subscription_create', 'paid', 0, 0],
        ['subscription_cycle', 'paid', UNIT, UNIT],
        ['subscription_update', 'paid', UNIT, UNIT],
      ],
      creditNotes: 0,
      total: 0,
      charges: 1,
      born: ['whatsapp.number.activated', 'whatsapp.number.suspended', 'whatsapp.number.reactivated'],
      heard: ['whatsapp.number.suspended', 'whatsapp.number.reactivated'],
    });
    outcomes['declined'] = outcome;
  });

  it('a number that failed to provision is billed nothing: its charged slot is credited, as the invoices and credit notes show', async () => {
    const customer = await newCustomer('Failed');
    const outcome = await failedToProvision(customer);
    expect(outcome).toMatchObject({
      second: ['released', 'whatsapp_code_not_received', null],
      quantity: 1,
      invoices: [
        ['subscription_create', 'paid', 0],
        ['subscription_cycle', 'paid', 2 * UNIT],
        ['subscription_update', 'paid', UNIT],
      ],
      creditNotes: [[UNIT, UNIT, true]],
      // The slot's unit is on the customer's balance: the next invoice uses it.
      balance: -UNIT,
      billedForSecond: 0,
      total: -UNIT,
    });
    expect(outcome['ledger']).toEqual(
      [
        ['charge', 'first', UNIT],
        ['payment', '-', -UNIT],
        ['period', 'first', UNIT],
        ['slot', 'second', UNIT],
        ['payment', '-', -2 * UNIT],
        ['credit', 'second', -UNIT],
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    outcomes['failed'] = { ...outcome, numbers: undefined };

    // The admin CLI prints the account's ledger, line by line, with its total.
    const cli = { cwd: path.join(__dirname, '..'), env: { ...process.env, DATABASE_URL: system.database.url } };
    const table = await run(process.execPath, ['scripts/run-ts.js', 'scripts/cli.ts', 'ledger', '--account', customer.accountId], cli);
    console.log(`ledger of the account whose second number failed to provision (npm run cli -- ledger --account ${customer.accountId}):\n${table.stdout}`);
    expect(table.stdout).toContain('total -$3.00 (in credit: the next invoices use it)');
    const json = JSON.parse((await run(process.execPath, ['scripts/run-ts.js', 'scripts/cli.ts', 'ledger', '--account', customer.accountId, '--json'], cli)).stdout) as {
      totalCents: number;
      entries: unknown[];
    };
    expect(json.totalCents).toBe(-UNIT);
    expect(json.entries).toHaveLength(6);
  });

  it('every webhook delivered five times, shuffled: the same outcomes', async () => {
    await setWebhookPolicy(sim, { copies: 5, shuffle: true });
    try {
      expect(await checkoutExpired(await newCustomer('Expired x5'))).toEqual(outcomes['expired']);
      expect(await paymentFailedThenPaid(await newCustomer('Declined x5'))).toEqual(outcomes['declined']);
      expect({ ...(await failedToProvision(await newCustomer('Failed x5'))), numbers: undefined }).toEqual(outcomes['failed']);
      const deliveries = (await sim.get<{ webhooks: { deliveries: { eventType: string | null; delivered: boolean }[] } }>('/_sim/state')).webhooks.deliveries;
      for (const type of ['invoice.payment_failed', 'invoice.paid', 'checkout.session.expired']) {
        expect(deliveries.filter((d) => d.eventType === type && d.delivered).length).toBeGreaterThanOrEqual(5);
      }
    } finally {
      await setWebhookPolicy(sim, { copies: 1, shuffle: false });
    }
  });
});
