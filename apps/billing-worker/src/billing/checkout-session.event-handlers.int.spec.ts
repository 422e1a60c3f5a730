import type { WebhookEventRef } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import type { HandlesWebhookEvent } from '@numbers/messaging';
import { Database, PersistenceModule } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { createTestAccount, eventJob, startHandlerTestBed, storedEvent, type HandlerTestBed, type SimulatorProcess, type WebhookCapture } from '@numbers/test-support';
import { BILLING_REPOSITORIES } from '../testing/money-test-bed';
import { AdoptCheckoutSubscriptionHandler } from './adopt-checkout-subscription.handler';
import { CheckoutSessionCompletedEventHandler } from './checkout-session-completed.event-handler';
import { CheckoutSessionExpiredEventHandler } from './checkout-session-expired.event-handler';
import { CHECKOUT_EXPIRED_REASON, CheckoutSettlement } from './checkout-settlement';

jest.setTimeout(60_000);

/**
 * Integration: Stripe Checkout's `checkout.session.completed` and `.expired` against a real
 * database of this file and the provider simulator, whose signed webhooks come to a stand-in
 * for the gateway: a session is created as the purchase creates it and paid (or expired) through
 * the simulator's control API, as the hosted page's Pay button does.
 */
describe('Checkout session event handlers', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let db: Database;
  let stripe: StripeGateway;
  let completed: CheckoutSessionCompletedEventHandler;
  let expired: CheckoutSessionExpiredEventHandler;
  let adopt: AdoptCheckoutSubscriptionHandler;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [AdoptCheckoutSubscriptionHandler, CheckoutSettlement, CheckoutSessionCompletedEventHandler, CheckoutSessionExpiredEventHandler, ...BILLING_REPOSITORIES],
      captureWebhooks: true,
    });
    ({ sim, capture } = bed);
    db = bed.moduleRef.get(Database);
    stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    completed = bed.moduleRef.get(CheckoutSessionCompletedEventHandler);
    expired = bed.moduleRef.get(CheckoutSessionExpiredEventHandler);
    adopt = bed.moduleRef.get(AdoptCheckoutSubscriptionHandler);
  });

  afterAll(() => bed?.stop());

  /** A first purchase as the gateway leaves it: the number pending payment, its Checkout Session open. */
  async function firstPurchase(): Promise<{ accountId: string; numberId: string; sessionId: string; customerId: string }> {
    const { accountId, profileId } = await createTestAccount(db);
    const numberId = newId();
    await db.insertInto('phoneNumbers').values({ id: numberId, accountId, profileId, country: 'US', status: 'pending_payment', paidFirst: true, monthlyCents: 300 }).execute();
    const { customerId } = await stripe.createCustomer({ accountId, name: 'Acme' }, `customer-${accountId}`);
    await db.insertInto('billingAccounts').values({ accountId, stripeCustomerId: customerId }).execute();
    const { now } = (await sim.get<{ clock: { now: number } }>('/_sim/clock')).clock;
    const session = await stripe.createCheckoutSession(
      {
        customerId,
        accountId,
        numberId,
        quantity: 1,
        successUrl: 'http://127.0.0.1:3000/checkout/success',
        cancelUrl: 'http://127.0.0.1:3000/checkout/cancel',
        trialEnd: now + 700 * 24 * 3600,
      },
      `checkout-${numberId}`,
    );
    return { accountId, numberId, sessionId: session.id, customerId };
  }

  function deliver(handler: HandlesWebhookEvent<'stripe'>, ref: WebhookEventRef<'stripe'>) {
    return db.transaction().execute((tx) => handler.handle(storedEvent(ref), { tx, cause: `webhook:stripe:${ref.eventId}`, job: eventJob('process-stripe-event.1') }));
  }

  /** Runs the `adopt-checkout-subscription` job the settlement queued for the session's subscription, as the worker would. */
  async function adoptSubscriptionOf(accountId: string, sessionId: string) {
    const subscriptionId = (await stripe.getCheckoutSession(sessionId)).subscriptionId ?? 'missing';
    return adopt.handle({ accountId, subscriptionId }, { jobId: `adopt-${subscriptionId}`, name: 'adopt-checkout-subscription', queue: 'billing', attempt: 1, maxAttempts: 10 });
  }

  function stripeEvent(type: string, sessionId: string): Promise<WebhookEventRef<'stripe'>> {
    return capture.next('stripe', (e) => e.eventType === type && e.payload.data.object['id'] === sessionId);
  }

  it('paid: stores the subscription Checkout created and moves the number to provisioning, once', async () => {
    const { accountId, numberId, sessionId, customerId } = await firstPurchase();
    await sim.post(`/_sim/stripe/checkout/${sessionId}/pay`, {});
    const event = await stripeEvent('checkout.session.completed', sessionId);

    await expect(deliver(completed, event)).resolves.toMatchObject({ outcome: 'applied' });
    // The webhook's transaction calls no provider: the queued job reads the subscription from Stripe.
    const jobsOfAccount = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').where('name', '=', 'adopt-checkout-subscription').execute();
    expect(jobsOfAccount.filter((j) => JSON.stringify(j.payload).includes(accountId))).toHaveLength(1);
    await expect(adoptSubscriptionOf(accountId, sessionId)).resolves.toMatchObject({ adopted: true, status: 'trialing' });
    const session = await stripe.getCheckoutSession(sessionId);
    const subscription = await stripe.getSubscription(session.subscriptionId ?? 'missing');
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({
      stripeCustomerId: customerId,
      stripeSubscriptionId: subscription.id,
      stripeSubscriptionItemId: subscription.items[0].id,
      subscriptionStatus: 'trialing',
      quantity: 1,
    });
    expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow()).toMatchObject({ status: 'provisioning' });
    const jobs = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').orderBy('id', 'asc').execute();
    expect(jobs.filter((j) => JSON.stringify(j.payload).includes(numberId)).map((j) => j.name)).toEqual(['order-number', 'sync-subscription-quantity']);

    // The same event again (or late): the same ids, the number does not move again.
    await expect(deliver(completed, event)).resolves.toEqual({ outcome: 'ignored', detail: `number ${numberId} is provisioning` });
    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', numberId).where('event', '=', 'payment_confirmed').orderBy('id', 'asc').execute();
    expect(history.map((h) => [h.applied, h.actor, h.cause?.startsWith(`webhook:stripe:${event.eventId}`)])).toEqual([
      [true, 'stripe', true],
      [false, 'stripe', true],
    ]);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ stripeSubscriptionId: subscription.id, quantity: 1 });
  });

  it('expired: the number ends unpaid, with the reason stored; a repeat changes nothing', async () => {
    const { numberId, sessionId } = await firstPurchase();
    await sim.post(`/_sim/stripe/checkout/${sessionId}/expire`, {});
    const event = await stripeEvent('checkout.session.expired', sessionId);

    await expect(deliver(expired, event)).resolves.toMatchObject({ outcome: 'applied' });
    const number = await db.selectFrom('phoneNumbers').selectAll().where('id', '=', numberId).executeTakeFirstOrThrow();
    expect(number).toMatchObject({ status: 'released', failureReason: CHECKOUT_EXPIRED_REASON });
    expect(number.releasedAt).toBeInstanceOf(Date);
    await expect(deliver(expired, event)).resolves.toEqual({ outcome: 'ignored', detail: `number ${numberId} is released` });
    // Nothing was ordered or billed: no job follows.
    const jobs = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').execute();
    expect(jobs.filter((j) => JSON.stringify(j.payload).includes(numberId))).toEqual([]);
  });

  it('a second subscription paid for the same account is cancelled; the number still goes on, in the first', async () => {
    const { accountId, numberId, sessionId } = await firstPurchase();
    await sim.post(`/_sim/stripe/checkout/${sessionId}/pay`, {});
    await deliver(completed, await stripeEvent('checkout.session.completed', sessionId));
    await adoptSubscriptionOf(accountId, sessionId);
    const kept = (await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).stripeSubscriptionId;

    // A second first-purchase of the same account, paid side by side.
    const profile = await db.selectFrom('profiles').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();
    const secondId = newId();
    await db.insertInto('phoneNumbers').values({ id: secondId, accountId, profileId: profile.id, country: 'US', status: 'pending_payment', paidFirst: true, monthlyCents: 300 }).execute();
    const { now } = (await sim.get<{ clock: { now: number } }>('/_sim/clock')).clock;
    const second = await stripe.createCheckoutSession(
      { accountId, numberId: secondId, quantity: 1, successUrl: 'http://127.0.0.1:3000/s', cancelUrl: 'http://127.0.0.1:3000/c', trialEnd: now + 700 * 24 * 3600 },
      `checkout-${secondId}`,
    );
    await sim.post(`/_sim/stripe/checkout/${second.id}/pay`, {});
    await expect(deliver(completed, await stripeEvent('checkout.session.completed', second.id))).resolves.toMatchObject({ outcome: 'applied' });
    await expect(adoptSubscriptionOf(accountId, second.id)).resolves.toMatchObject({ adopted: false, reason: "not the account's subscription: cancelled" });

    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow()).toMatchObject({ stripeSubscriptionId: kept });
    const duplicate = await stripe.getSubscription((await stripe.getCheckoutSession(second.id)).subscriptionId ?? 'missing');
    expect(duplicate.status).toBe('canceled');
    expect(await db.selectFrom('phoneNumbers').selectAll().where('id', '=', secondId).executeTakeFirstOrThrow()).toMatchObject({ status: 'provisioning' });
    expect(numberId).not.toBe(secondId);
  });

  it('ignores sessions that are not number purchases', async () => {
    const ref: WebhookEventRef<'stripe'> = {
      provider: 'stripe',
      eventId: 'evt_not_ours',
      eventType: 'checkout.session.completed',
      payload: { id: 'evt_not_ours', type: 'checkout.session.completed', data: { object: { id: 'cs_other', mode: 'subscription', metadata: {} } } },
    };
    await expect(deliver(completed, ref)).resolves.toEqual({ outcome: 'ignored', detail: 'session cs_other is not a number purchase' });
    await expect(deliver(expired, { ...ref, eventType: 'checkout.session.expired' })).resolves.toMatchObject({ outcome: 'ignored' });
  });
});
