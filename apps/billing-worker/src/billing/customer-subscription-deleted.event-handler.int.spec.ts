import type { WebhookEventRef } from '@numbers/contracts';
import type { JobContext } from '@numbers/messaging';
import { Database, PersistenceModule } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { countOf, startHandlerTestBed, type HandlerTestBed, type SimulatorProcess, type WebhookCapture } from '@numbers/test-support';
import { BILLING_REPOSITORIES, createMoneyAccount, deliverStripeEvent, type MoneySimState } from '../testing/money-test-bed';
import { CustomerSubscriptionDeletedEventHandler } from './customer-subscription-deleted.event-handler';
import { SubscriptionEnding } from './subscription-ending';
import { SubscriptionQuantitySync } from './subscription-quantity-sync';
import { SyncSubscriptionQuantityHandler } from './sync-subscription-quantity.handler';

jest.setTimeout(60_000);

/** Integration: Stripe's `customer.subscription.deleted` against a real database of this file and the provider simulator. */
describe('CustomerSubscriptionDeletedEventHandler', () => {
  let bed: HandlerTestBed<true>;
  let capture: WebhookCapture;
  let sim: SimulatorProcess;
  let db: Database;
  let stripe: StripeGateway;
  let deleted: CustomerSubscriptionDeletedEventHandler;
  let sync: SyncSubscriptionQuantityHandler;

  beforeAll(async () => {
    bed = await startHandlerTestBed({
      imports: [PersistenceModule],
      providers: [CustomerSubscriptionDeletedEventHandler, SubscriptionEnding, SyncSubscriptionQuantityHandler, SubscriptionQuantitySync, ...BILLING_REPOSITORIES],
      captureWebhooks: true,
    });
    ({ sim, capture } = bed);
    db = bed.moduleRef.get(Database);
    stripe = bed.moduleRef.get<StripeGateway>(STRIPE_GATEWAY);
    deleted = bed.moduleRef.get(CustomerSubscriptionDeletedEventHandler);
    sync = bed.moduleRef.get(SyncSubscriptionQuantityHandler);
  });

  afterAll(() => bed?.stop());

  const ctx = (jobId: string): JobContext => ({ jobId, name: 'sync-subscription-quantity', queue: 'billing', attempt: 1, maxAttempts: 10 });

  it('every live number goes releasing; the subscription is recorded as ended and no sync calls Stripe on it; a repeat changes nothing', async () => {
    const account = await createMoneyAccount(db, stripe, [{ status: 'active' }, { status: 'suspended' }, { status: 'verifying' }, { status: 'released' }]);
    const [active, suspended, verifying, released] = account.numbers;
    await stripe.cancelSubscription(account.subscriptionId, `cancel-${account.subscriptionId}`);
    const event = await capture.next('stripe', (e) => e.eventType === 'customer.subscription.deleted' && e.payload.data.object['id'] === account.subscriptionId);

    await expect(deliverStripeEvent(db, deleted, event)).resolves.toEqual({
      outcome: 'applied',
      detail: `subscription ${account.subscriptionId} canceled: releasing ${[active, suspended, verifying].sort().join(', ')}`,
    });
    const numbers = await db.selectFrom('phoneNumbers').selectAll().where('accountId', '=', account.accountId).execute();
    const statusOf = Object.fromEntries(numbers.map((n) => [n.id, n.status]));
    expect([statusOf[active], statusOf[suspended], statusOf[verifying], statusOf[released]]).toEqual(['releasing', 'releasing', 'releasing', 'released']);
    expect(await db.selectFrom('billingAccounts').selectAll().where('accountId', '=', account.accountId).executeTakeFirstOrThrow()).toMatchObject({ subscriptionStatus: 'canceled' });
    const history = await db.selectFrom('numberStatusHistory').selectAll().where('numberId', '=', active).where('event', '=', 'subscription_ended').execute();
    expect(history.map((h) => [h.applied, h.actor, h.cause])).toEqual([[true, 'stripe', `webhook:stripe:${event.eventId}`]]);
    // Each is released at Meta and the carrier (their follow-up), and the quantity sync that follows leaves Stripe alone.
    const jobs = await db.selectFrom('outbox').selectAll().where('kind', '=', 'job').orderBy('id', 'asc').execute();
    expect(jobs.filter((j) => j.name === 'release-number').map((j) => (j.payload as { numberId: string }).numberId).sort()).toEqual([active, suspended, verifying].sort());
    const before = (await sim.get<MoneySimState>('/_sim/state')).requests.stripe.length;
    await expect(sync.handle({ accountId: account.accountId, cause: 'subscription_ended' }, ctx('sync-subscription-quantity.9'))).resolves.toEqual({
      synced: false,
      reason: 'subscription_canceled',
      quantity: 0,
    });
    expect((await sim.get<MoneySimState>('/_sim/state')).requests.stripe).toHaveLength(before);

    // Again (a redelivery): nothing left to release.
    await expect(deliverStripeEvent(db, deleted, event)).resolves.toMatchObject({ outcome: 'applied', detail: expect.stringContaining('no live number left') });
    expect(await countOf(db.selectFrom('numberStatusHistory').where('numberId', '=', active).where('event', '=', 'subscription_ended'))).toBe(1);
  });

  it('ignores a subscription that is not an account\u2019s (the duplicate a second Checkout made)', async () => {
    const ref: WebhookEventRef<'stripe'> = {
      provider: 'stripe',
      eventId: 'evt_dup',
      eventType: 'customer.subscription.deleted',
      payload: { id: 'evt_dup', type: 'customer.subscription.deleted', data: { object: { id: 'sub_duplicate', status: 'canceled' } } },
    };
    await expect(deliverStripeEvent(db, deleted, ref)).resolves.toEqual({ outcome: 'ignored', detail: "subscription sub_duplicate is not an account's subscription" });
  });
});
