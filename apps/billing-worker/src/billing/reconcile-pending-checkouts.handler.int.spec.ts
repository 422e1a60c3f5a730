import { newId } from '@numbers/domain';
import type { JobContext } from '@numbers/messaging';
import { CHECKOUT_NOT_CREATED_REASON, Database, PersistenceModule, PurchaseRepository, StuckNumberSweep, StuckNumbersRepository } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { countOf, createTestAccount, eventJob, startHandlerTestBed, storedEvent, transactionsLeftOpen, type HandlerTestBed, type SimulatorProcess, type SimulatorState, type WebhookCapture } from '@numbers/test-support';
import { BILLING_REPOSITORIES } from '../testing/money-test-bed';
import { AdoptCheckoutSubscriptionHandler } from './adopt-checkout-subscription.handler';
import { CheckoutSessionCompletedEventHandler } from './checkout-session-completed.event-handler';
import { CHECKOUT_EXPIRED_REASON, CheckoutSettlement } from './checkout-settlement';
import { ReconcilePendingCheckoutsHandler } from './reconcile-pending-checkouts.handler';

jest.setTimeout(60_000);

const HOUR = 3600_000;

/**
 * Integration: the `reconcile-pending-checkouts` sweep against a real database of this file and
 * the provider simulator. The stuck situations are made on purpose: a number committed without
 * its Checkout Session (the gateway died), and sessions paid or expired at Stripe whose webhooks
 * were lost (the simulator sends them to a stand-in for the gateway that never delivers them).
 */
describe('ReconcilePendingCheckoutsHandler', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let db: Database;
  let stripe: StripeGateway;
  let sweep: ReconcilePendingCheckoutsHandler;
  let completed: CheckoutSessionCompletedEventHandler;
  let accountId: string;
  let profileId: string;
  let customerId: string;
  let runs = 0;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [AdoptCheckoutSubscriptionHandler, CheckoutSettlement, CheckoutSessionCompletedEventHandler, ReconcilePendingCheckoutsHandler, PurchaseRepository, StuckNumbersRepository, StuckNumberSweep, ...BILLING_REPOSITORIES],
      captureWebhooks: true,
    });
    ({ sim, capture } = bed);
    db = bed.moduleRef.get(Database);
    stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    sweep = bed.moduleRef.get(ReconcilePendingCheckoutsHandler);
    completed = bed.moduleRef.get(CheckoutSessionCompletedEventHandler);
  });

  afterAll(() => bed?.stop());

  beforeEach(async () => {
    // An account of its own per test: a first purchase per account.
    ({ accountId, profileId } = await createTestAccount(db));
    ({ customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `customer-${accountId}`));
    await db.insertInto('billingAccounts').values({ accountId, stripeCustomerId: customerId }).execute();
  });

  function run(): ReturnType<ReconcilePendingCheckoutsHandler['handle']> {
    runs++;
    const ctx: JobContext = { jobId: `repeat:reconcile-pending-checkouts:${runs}`, name: 'reconcile-pending-checkouts', queue: 'billing', attempt: 1, maxAttempts: 1 };
    return sweep.handle({}, ctx);
  }

  /** A number as a first purchase commits it, `ageMs` ago: pending payment, its intent recorded, no session yet. */
  async function pendingNumber(ageMs: number): Promise<string> {
    const id = newId();
    const at = new Date(Date.now() - ageMs);
    await db.insertInto('phoneNumbers').values({ id, accountId, profileId, country: 'US', status: 'pending_payment', paidFirst: true, monthlyCents: 300, createdAt: at }).execute();
    await db
      .insertInto('numberStatusHistory')
      .values({ numberId: id, fromStatus: null, toStatus: 'pending_payment', event: 'purchase_accepted', actor: 'customer', cause: 'req-1', at })
      .execute();
    await db.insertInto('purchaseIntents').values({ accountId, intentId: `intent-${id}`, numberId: id }).execute();
    return id;
  }

  /** The Checkout Session the purchase creates for it, recorded on the number. */
  async function openCheckout(numberId: string): Promise<string> {
    const { now } = (await sim.get<{ clock: { now: number } }>('/_sim/clock')).clock;
    const session = await stripe.createCheckoutSession(
      { customerId, accountId, numberId, quantity: 1, successUrl: 'http://127.0.0.1:3000/s', cancelUrl: 'http://127.0.0.1:3000/c', trialEnd: now + 700 * 24 * 3600 },
      `checkout-${numberId}`,
    );
    await db.updateTable('phoneNumbers').set({ stripeCheckoutSessionId: session.id, updatedAt: new Date() }).where('id', '=', numberId).execute();
    return session.id;
  }

  async function stripeRequests(): Promise<SimulatorState['requests']['stripe']> {
    return (await sim.get<SimulatorState>('/_sim/state')).requests.stripe;
  }

  async function sessionReads(sessionId: string): Promise<number> {
    return (await stripeRequests()).filter((r) => r.method === 'GET' && r.path === `/v1/checkout/sessions/${sessionId}`).length;
  }

  function history(numberId: string) {
    return db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).orderBy('id', 'asc').execute();
  }

  function jobsFor(numberId: string) {
    return db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'job')
      .orderBy('id', 'asc')
      .execute()
      .then((rows) => rows.filter((r) => JSON.stringify(r.payload).includes(numberId)).map((r) => r.name));
  }

  it('releases a number that never got a Checkout Session once its grace is over, once; a younger one waits', async () => {
    const stuck = await pendingNumber(HOUR);
    const young = await pendingNumber(60_000);
    const stripeCalls = (await stripeRequests()).length;

    const first = await run();
    expect(first.acted).toEqual([{ numberId: stuck, kind: 'checkout_without_session', action: 'released: no checkout session' }]);
    const released = await db.selectFrom('phoneNumbers').selectAll().where('id', '=', stuck).executeTakeFirstOrThrow();
    expect(released).toMatchObject({ status: 'released', failureReason: CHECKOUT_NOT_CREATED_REASON });
    expect((await history(stuck)).map((h) => [h.fromStatus, h.toStatus, h.event, h.applied, h.actor])).toEqual([
      [null, 'pending_payment', 'purchase_accepted', true, 'customer'],
      ['pending_payment', 'released', 'checkout_expired', true, 'system'],
    ]);
    expect((await history(stuck))[1].cause).toMatch(/^sweep reconcile-pending-checkouts \(job repeat:reconcile-pending-checkouts:\d+\): no checkout session$/);
    // Undone like a purchase whose session could not be created: a retry with its intent buys anew.
    expect(await countOf(db.selectFrom('purchaseIntents').where('numberId', '=', stuck))).toBe(0);
    expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', young).executeTakeFirstOrThrow()).toMatchObject({ status: 'pending_payment' });
    expect(await countOf(db.selectFrom('purchaseIntents').where('numberId', '=', young))).toBe(1);
    expect(await stripeRequests()).toHaveLength(stripeCalls);

    // The second run changes nothing.
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await history(stuck)).toHaveLength(2);
  });

  it('settles a paid Checkout whose webhook was lost as the webhook does, once, even with two runs at once', async () => {
    const numberId = await pendingNumber(HOUR);
    const sessionId = await openCheckout(numberId);
    await sim.post(`/_sim/stripe/checkout/${sessionId}/pay`, {});
    const lost = await capture.next('stripe', (e) => e.eventType === 'checkout.session.completed' && e.payload.data.object['id'] === sessionId);

    const [a, b] = await Promise.all([run(), run()]);
    const acted = [...a.acted, ...b.acted].filter((x) => x.numberId === numberId);
    expect(acted).toEqual([{ numberId, kind: 'checkout_unsettled', action: expect.stringMatching(/^paid: number \w+ paid: provisioning \(subscription sub_/) }]);
    expect(await sessionReads(sessionId)).toBe(1);

    const session = await stripe.getCheckoutSession(sessionId);
    const subscription = await stripe.getSubscription(session.subscriptionId ?? 'missing');
    // The job the settlement queued records the subscription's status and item from Stripe.
    const adoption = { jobId: `adopt-${subscription.id}`, name: 'adopt-checkout-subscription' as const, queue: 'billing' as const, attempt: 1, maxAttempts: 10 };
    await bed.moduleRef.get(AdoptCheckoutSubscriptionHandler).handle({ accountId, subscriptionId: subscription.id }, adoption);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({
      stripeSubscriptionId: subscription.id,
      stripeSubscriptionItemId: subscription.items[0].id,
      subscriptionStatus: 'trialing',
    });
    expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow()).toMatchObject({ status: 'provisioning' });
    expect(await jobsFor(numberId)).toEqual(['order-number', 'sync-subscription-quantity']);
    const paid = (await history(numberId)).filter((h) => h.event === 'payment_confirmed');
    expect(paid.map((h) => [h.applied, h.actor])).toEqual([[true, 'system']]);
    expect(paid[0].cause).toMatch(new RegExp(`^sweep reconcile-pending-checkouts .*: checkout ${sessionId} complete$`));

    // The second run changes nothing and asks Stripe nothing.
    const stripeCalls = (await stripeRequests()).length;
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await stripeRequests()).toHaveLength(stripeCalls);
    // The webhook, late after all, finds the number settled.
    const late = await db.transaction().execute((tx) =>
      completed.handle(storedEvent(lost), { tx, cause: `webhook:stripe:${lost.eventId}`, job: eventJob('process-stripe-event.1') }),
    );
    expect(late).toEqual({ outcome: 'ignored', detail: `number ${numberId} is provisioning` });
    expect(await jobsFor(numberId)).toEqual(['order-number', 'sync-subscription-quantity']);
  });

  it('ends a number whose Checkout expired at Stripe and whose webhook was lost, once', async () => {
    const numberId = await pendingNumber(HOUR);
    const sessionId = await openCheckout(numberId);
    await sim.post(`/_sim/stripe/checkout/${sessionId}/expire`, {});

    const first = await run();
    expect(first.acted).toEqual([{ numberId, kind: 'checkout_unsettled', action: `expired: number ${numberId} released: checkout expired` }]);
    expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow()).toMatchObject({ status: 'released', failureReason: CHECKOUT_EXPIRED_REASON });
    expect(await sessionReads(sessionId)).toBe(1);
    expect(await jobsFor(numberId)).toEqual([]);

    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await sessionReads(sessionId)).toBe(1);
    expect((await history(numberId)).filter((h) => h.event === 'checkout_expired')).toHaveLength(1);
  });

  it('leaves a session that is still open until the recheck period has passed again', async () => {
    const numberId = await pendingNumber(HOUR);
    const sessionId = await openCheckout(numberId);

    const first = await run();
    expect(first.acted).toEqual([{ numberId, kind: 'checkout_unsettled', action: expect.stringMatching(new RegExp(`^checkout ${sessionId} still open \\(expires `)) }]);
    const looked = await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow();
    expect(looked).toMatchObject({ status: 'pending_payment', version: 0 });
    expect(looked.sweptAt).toBeInstanceOf(Date);

    // Looked at just now: not asked again.
    await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    expect(await sessionReads(sessionId)).toBe(1);

    // An hour later (its last look moved back), the customer having paid meanwhile: settled.
    await db.updateTable('phoneNumbers').set({ sweptAt: new Date(Date.now() - HOUR), updatedAt: new Date() }).where('id', '=', numberId).execute();
    await sim.post(`/_sim/stripe/checkout/${sessionId}/pay`, {});
    expect((await run()).acted.map((x) => x.numberId)).toEqual([numberId]);
    expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow()).toMatchObject({ status: 'provisioning' });
    expect(await sessionReads(sessionId)).toBe(2);
  });

  it('asks Stripe with no transaction open: while Stripe is slow, no session waits in a transaction and the number is not locked', async () => {
    const numberId = await pendingNumber(HOUR);
    const sessionId = await openCheckout(numberId);
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'GET', path: `/v1/checkout/sessions/${sessionId}`, action: 'delay', delayMs: 1500 });

    const running = run();
    await new Promise((r) => setTimeout(r, 500)); // the sweep is waiting for Stripe's answer
    expect(await transactionsLeftOpen(db)).toBe(0);
    const locked = db.transaction().execute((tx) => tx.selectFrom('phoneNumbers').select('id').where('id', '=', numberId).forUpdate().noWait().execute());
    await expect(locked).resolves.toEqual([{ id: numberId }]);

    expect((await running).acted).toEqual([{ numberId, kind: 'checkout_unsettled', action: expect.stringMatching(new RegExp(`^checkout ${sessionId} still open`)) }]);
  });

  it('expires at Stripe a session left open past its expiry, then ends the number', async () => {
    // The session was created two days ago by Stripe's clock, so it expired a day ago, but
    // Stripe never closed it (the simulator's clock is frozen).
    const real = Math.floor(Date.now() / 1000);
    await fetch(`${sim.url}/_sim/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: real - 2 * 24 * 3600, frozen: true }) });
    try {
      const numberId = await pendingNumber(HOUR);
      const sessionId = await openCheckout(numberId);
      expect((await stripe.getCheckoutSession(sessionId)).status).toBe('open');

      const first = await run();
      expect(first.acted).toEqual([{ numberId, kind: 'checkout_unsettled', action: `expired: number ${numberId} released: checkout expired` }]);
      expect((await stripe.getCheckoutSession(sessionId)).status).toBe('expired');
      const expiries = (await stripeRequests()).filter((r) => r.method === 'POST' && r.path === `/v1/checkout/sessions/${sessionId}/expire`);
      expect(expiries.map((r) => r.idempotencyKey)).toEqual([`expire-checkout-${numberId}`]);
      expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow()).toMatchObject({ status: 'released', failureReason: CHECKOUT_EXPIRED_REASON });
      await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    } finally {
      await fetch(`${sim.url}/_sim/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: real, frozen: false }) });
    }
  });

  it('reports a number Stripe fails for, goes on with the others, and leaves it for the next recheck', async () => {
    const failing = await pendingNumber(2 * HOUR);
    const failingSession = await openCheckout(failing);
    const other = await pendingNumber(HOUR);
    const otherSession = await openCheckout(other);
    await sim.post(`/_sim/stripe/checkout/${otherSession}/expire`, {});
    await sim.post('/_sim/faults', { provider: 'stripe', method: 'GET', path: `/v1/checkout/sessions/${failingSession}`, action: 'fail', status: 500, times: 3 });
    try {
      await expect(run()).rejects.toThrow(new RegExp(`^reconcile-pending-checkouts: 1 number\\(s\\) failed: ${failing} \\(checkout_unsettled\\): `));
      expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', other).executeTakeFirstOrThrow()).toMatchObject({ status: 'released' });
      const stamped = await db.selectFrom('phoneNumbers').selectAll().where('id', '=', failing).executeTakeFirstOrThrow();
      expect(stamped).toMatchObject({ status: 'pending_payment' });
      expect(stamped.sweptAt).toBeInstanceOf(Date);
      await expect(run()).resolves.toEqual({ acted: [], failed: [] });
    } finally {
      await sim.delete('/_sim/faults');
    }
  });
});
