import { type StripeGateway, type SubscriptionSnapshot } from '@numbers/providers';
import type Stripe from 'stripe';
import { isStripeEvent, verifiedStripeEvents } from '../testing/provider-webhooks';
import { simFetch, type RunningSimulator } from '../testing/simulator-test-harness';
import type { WebhookReceiver } from '../testing/webhook-receiver';
import { advanceClock, DAY, JAN_1, FEB_1, MAR_1, resetStripeClock, startStripeClockBed, stopStripeClockBed } from '../testing/stripe-clock-bed';

/** Trials, prorations, renewals and failed payments on a frozen simulator clock, through the stripe SDK. */
describe('Stripe billing against the simulator clock', () => {
  let receiver: WebhookReceiver;
  let sim: RunningSimulator;
  let stripe: StripeGateway;
  let client: Stripe;

  beforeAll(async () => {
    ({ receiver, sim, client, stripe } = await startStripeClockBed());
  });
  afterAll(() => stopStripeClockBed({ sim, receiver }));
  beforeEach(() => resetStripeClock({ sim, receiver }, JAN_1));

  const advance = (seconds: number) => advanceClock(sim, seconds);
  const key = () => `k-${Math.random()}`;

  async function subscribe(quantity: number, trialEnd?: number): Promise<SubscriptionSnapshot & { customerId: string }> {
    const { customerId } = await stripe.createCustomer({ accountId: 'acc_b', name: 'Billing' }, key());
    const subscription = await stripe.createSubscription({ customerId, accountId: 'acc_b', quantity, trialEnd, metadata: { plan: 'growth' } }, key());
    return { ...subscription, customerId };
  }
  const setQuantity = (s: SubscriptionSnapshot, quantity: number, prorationBehavior?: 'create_prorations' | 'none' | 'always_invoice') =>
    stripe.setSubscriptionQuantity({ subscriptionId: s.id, itemId: s.items[0].id, quantity, prorationBehavior }, key());

  it('charges $0 during a trial; ending it starts a period and charges it at once', async () => {
    const subscription = await subscribe(2, JAN_1 + 14 * DAY);
    expect(subscription).toMatchObject({ status: 'trialing', trialEnd: JAN_1 + 14 * DAY, currentPeriodEnd: JAN_1 + 14 * DAY });
    expect(subscription.metadata).toEqual({ plan: 'growth', accountId: 'acc_b' });
    const [trialInvoice] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(trialInvoice).toMatchObject({ status: 'paid', billingReason: 'subscription_create', amountDue: 0, lines: [{ amount: 0, quantity: 2 }] });

    await advance(2 * DAY);
    const ended = await stripe.endTrial(subscription.id, key());

    const now = JAN_1 + 2 * DAY;
    expect(ended).toMatchObject({ status: 'active', trialEnd: now, currentPeriodStart: now, currentPeriodEnd: Date.UTC(2026, 1, 3) / 1000 });
    const [paid] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(paid).toMatchObject({ status: 'paid', billingReason: 'subscription_update', amountDue: 600, amountPaid: 600 });
    expect(paid.lines).toEqual([expect.objectContaining({ amount: 600, quantity: 2, proration: false, periodStart: now, periodEnd: ended.currentPeriodEnd })]);
    await expect(stripe.endTrial(subscription.id, key())).resolves.toMatchObject({ status: 'active' });
    expect(await stripe.listInvoices({ subscriptionId: subscription.id })).toHaveLength(2);

    const updated = await receiver.waitFor(isStripeEvent('customer.subscription.updated'));
    const [event] = verifiedStripeEvents(updated, sim.config.STRIPE_WEBHOOK_SECRET);
    expect(event.data.previous_attributes).toMatchObject({ status: 'trialing' });
  });

  it('ends a trial when the clock passes trial_end', async () => {
    const subscription = await subscribe(1, JAN_1 + 14 * DAY);
    expect((await advance(14 * DAY)).body.renewals).toBe(1);
    await expect(stripe.getSubscription(subscription.id)).resolves.toMatchObject({ status: 'active', currentPeriodStart: JAN_1 + 14 * DAY });
    const [invoice] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(invoice).toMatchObject({ billingReason: 'subscription_cycle', amountPaid: 300 });
  });

  it('prorates a quantity change into the next invoice, computed from the period as Stripe does', async () => {
    const subscription = await subscribe(1);
    await advance(10 * DAY);
    await setQuantity(subscription, 3);
    expect(await stripe.listInvoices({ subscriptionId: subscription.id })).toHaveLength(1);

    await advance(21 * DAY); // Feb 1: renewal
    const [renewal] = await stripe.listInvoices({ subscriptionId: subscription.id });

    // 21 of 31 days remain: unused 1 × 300 × 21/31 = 203.2 → −203; remaining 3 × 300 × 21/31 = 609.7 → 610.
    expect(renewal.lines.map((l) => [l.amount, l.quantity, l.proration, l.periodStart, l.periodEnd])).toEqual([
      [-203, 1, true, JAN_1 + 10 * DAY, FEB_1],
      [610, 3, true, JAN_1 + 10 * DAY, FEB_1],
      [900, 3, false, FEB_1, MAR_1],
    ]);
    expect(renewal).toMatchObject({ billingReason: 'subscription_cycle', total: 1307, amountDue: 1307, amountPaid: 1307, status: 'paid' });
    await expect(stripe.getSubscription(subscription.id)).resolves.toMatchObject({ currentPeriodStart: FEB_1, currentPeriodEnd: MAR_1, quantity: 3 });
  });

  it('invoices prorations at once with always_invoice, and adds none with none', async () => {
    const always = await subscribe(1);
    const none = await subscribe(1);
    await advance(10 * DAY);

    await setQuantity(always, 2, 'always_invoice');
    await setQuantity(none, 3, 'none');

    const [now] = await stripe.listInvoices({ subscriptionId: always.id });
    expect(now).toMatchObject({ billingReason: 'subscription_update', total: 203, amountPaid: 203 }); // −203 + 406 (600 × 21/31 = 406.5 → 406)
    expect(now.lines.map((l) => l.amount)).toEqual([-203, 406]);
    expect(await stripe.listInvoices({ subscriptionId: none.id })).toHaveLength(1);
    await advance(21 * DAY);
    const [renewal] = await stripe.listInvoices({ subscriptionId: none.id });
    expect(renewal.lines.map((l) => [l.amount, l.proration])).toEqual([[900, false]]);
  });

  it('credits a decrease and uses the credit on the next invoice', async () => {
    const subscription = await subscribe(3);
    await advance(10 * DAY);

    await setQuantity(subscription, 1, 'always_invoice');

    const [credit] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(credit).toMatchObject({ total: -407, amountDue: 0, status: 'paid' }); // −610 + 203
    await advance(21 * DAY);
    const [renewal] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(renewal).toMatchObject({ total: 300, amountDue: 0 });
    await expect(client.customers.retrieve(subscription.customerId)).resolves.toMatchObject({ balance: -107 });
  });

  it('fails a renewal when told to: invoice.payment_failed, past_due, then paid again through invoices.pay', async () => {
    const subscription = await subscribe(1);
    await simFetch(`${sim.url}/_sim/stripe/fail-next-payment`, { body: {} });

    await advance(31 * DAY);

    await expect(stripe.getSubscription(subscription.id)).resolves.toMatchObject({ status: 'past_due' });
    const [open] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(open).toMatchObject({ status: 'open', amountDue: 300, amountPaid: 0 });
    const failed = await receiver.waitFor(isStripeEvent('invoice.payment_failed'));
    expect(verifiedStripeEvents(failed, sim.config.STRIPE_WEBHOOK_SECRET)[0].data.object).toMatchObject({ id: open.id, status: 'open' });

    await expect(client.invoices.pay(open.id)).resolves.toMatchObject({ status: 'paid', amount_paid: 300 });
    await expect(stripe.getSubscription(subscription.id)).resolves.toMatchObject({ status: 'active' });
    await receiver.waitFor(isStripeEvent('invoice.paid', (invoice) => invoice.id === open.id));
  });

  it('leaves a subscription incomplete when its first payment fails', async () => {
    await simFetch(`${sim.url}/_sim/stripe/fail-next-payment`, { body: {} });
    const subscription = await subscribe(1);
    expect(subscription.status).toBe('incomplete');
    await expect(stripe.listInvoices({ customerId: subscription.customerId })).resolves.toEqual([expect.objectContaining({ status: 'open' })]);
  });

  it('renews once per period when the clock jumps several months', async () => {
    const subscription = await subscribe(2);
    expect((await advance(90 * DAY)).body.renewals).toBe(3);
    const invoices = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(invoices.map((i) => [i.billingReason, i.amountPaid])).toEqual([
      ['subscription_cycle', 600],
      ['subscription_cycle', 600],
      ['subscription_cycle', 600],
      ['subscription_create', 600],
    ]);
  });
});
