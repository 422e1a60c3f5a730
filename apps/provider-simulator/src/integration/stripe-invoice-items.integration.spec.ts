import { ProviderError, type CreateInvoiceItemInput, type StripeGateway } from '@numbers/providers';
import Stripe from 'stripe';
import { simFetch, type RunningSimulator } from '../testing/simulator-test-harness';
import type { WebhookReceiver } from '../testing/webhook-receiver';
import { advanceClock, DAY, JAN_1, FEB_1, MAR_1, resetStripeClock, startStripeClockBed, stopStripeClockBed } from '../testing/stripe-clock-bed';

/** `POST/GET /v1/invoiceitems` through the stripe SDK: pending items and the invoice that takes them. */
describe('Stripe invoice items against the simulator', () => {
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

  async function subscribe(quantity: number, trialEnd?: number) {
    const { customerId } = await stripe.createCustomer({ accountId: 'acc_i', name: 'Items' }, key());
    const subscription = await stripe.createSubscription({ customerId, accountId: 'acc_i', quantity, trialEnd }, key());
    return { ...subscription, customerId };
  }

  function itemFor(subscription: { id: string; customerId: string }, amountCents: number): CreateInvoiceItemInput {
    return {
      customerId: subscription.customerId,
      subscriptionId: subscription.id,
      amountCents,
      currency: 'usd',
      description: 'Number +15550100001 (num_1): rest of the period',
      periodStart: JAN_1 + 10 * DAY,
      periodEnd: FEB_1,
      metadata: { numberId: 'num_1' },
    };
  }

  it('leaves an item pending until the renewal invoice takes it as a line of its own', async () => {
    const subscription = await subscribe(2);
    await advance(10 * DAY);

    const item = await stripe.createInvoiceItem(itemFor(subscription, 203), key());

    expect(item).toEqual({
      id: expect.stringMatching(/^ii_/),
      amountCents: 203,
      currency: 'usd',
      subscriptionId: subscription.id,
      invoiceId: null,
      periodStart: JAN_1 + 10 * DAY,
      periodEnd: FEB_1,
      metadata: { numberId: 'num_1' },
    });
    const pending = await client.invoiceItems.list({ customer: subscription.customerId, pending: true });
    expect(pending.data.map((i) => [i.id, i.invoice, i.description, i.proration])).toEqual([
      [item.id, null, 'Number +15550100001 (num_1): rest of the period', false],
    ]);
    // Nothing invoiced or charged for it yet.
    expect(await stripe.listInvoices({ subscriptionId: subscription.id })).toHaveLength(1);

    expect((await advance(21 * DAY)).body.renewals).toBe(1); // Feb 1
    const [renewal] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(renewal).toMatchObject({ billingReason: 'subscription_cycle', status: 'paid', total: 600 + 203, amountPaid: 803 });
    expect(renewal.lines.map((l) => [l.amount, l.quantity, l.proration, l.periodStart, l.periodEnd, l.description])).toEqual([
      [203, 1, false, JAN_1 + 10 * DAY, FEB_1, 'Number +15550100001 (num_1): rest of the period'],
      [600, 2, false, FEB_1, MAR_1, expect.any(String)],
    ]);
    await expect(client.invoiceItems.retrieve(item.id)).resolves.toMatchObject({ invoice: renewal.id, amount: 203 });
    expect((await client.invoiceItems.list({ customer: subscription.customerId, pending: true })).data).toEqual([]);
    expect((await client.invoiceItems.list({ customer: subscription.customerId, pending: false })).data.map((i) => i.id)).toEqual([item.id]);

    // The next renewal does not take it again.
    await advance(28 * DAY); // Mar 1
    const [next] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(next).toMatchObject({ billingReason: 'subscription_cycle', total: 600 });
  });

  it('answers a replay with the same item, and refuses the key with another amount', async () => {
    const subscription = await subscribe(1);
    const input = itemFor(subscription, 150);

    const first = await stripe.createInvoiceItem(input, 'ii-key-1');
    const replay = await stripe.createInvoiceItem(input, 'ii-key-1');

    expect(replay).toEqual(first);
    expect((await client.invoiceItems.list({ customer: subscription.customerId })).data.map((i) => i.id)).toEqual([first.id]);
    const error = await stripe.createInvoiceItem({ ...input, amountCents: 151 }, 'ii-key-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, code: 'idempotency_error', retryable: false });
    expect((await client.invoiceItems.list({ customer: subscription.customerId })).data).toHaveLength(1);
  });

  it('puts pending items on the invoice that ends a trial, or that always_invoice makes', async () => {
    const trialing = await subscribe(1, JAN_1 + 14 * DAY);
    const running = await subscribe(1);
    await advance(10 * DAY);
    const onTrial = await stripe.createInvoiceItem(itemFor(trialing, 120), key());
    const onRunning = await stripe.createInvoiceItem(itemFor(running, 130), key());

    await stripe.endTrial(trialing.id, key());
    await stripe.setSubscriptionQuantity({ subscriptionId: running.id, itemId: running.items[0].id, quantity: 2, prorationBehavior: 'always_invoice' }, key());

    const [trialEnded] = await stripe.listInvoices({ subscriptionId: trialing.id });
    expect(trialEnded).toMatchObject({ billingReason: 'subscription_update', total: 120 + 300 });
    expect(trialEnded.lines.map((l) => l.amount)).toEqual([120, 300]);
    const [prorated] = await stripe.listInvoices({ subscriptionId: running.id });
    // Pending items oldest first: the item, then the prorations (21 of 31 days left: −203 unused, +406 remaining).
    expect(prorated.lines.map((l) => [l.amount, l.proration])).toEqual([
      [130, false],
      [-203, true],
      [406, true],
    ]);
    expect(prorated).toMatchObject({ billingReason: 'subscription_update', total: 333 });
    await expect(client.invoiceItems.retrieve(onTrial.id)).resolves.toMatchObject({ invoice: trialEnded.id });
    await expect(client.invoiceItems.retrieve(onRunning.id)).resolves.toMatchObject({ invoice: prorated.id });
  });

  it("goes on the customer's next subscription invoice when it names no subscription; never on another customer's", async () => {
    const mine = await subscribe(1);
    const theirs = await subscribe(1);
    const item = await client.invoiceItems.create({ customer: mine.customerId, amount: 99, currency: 'usd' }, { idempotencyKey: key() });
    expect(item).toMatchObject({ object: 'invoiceitem', invoice: null, parent: null, quantity: 1, period: { start: JAN_1, end: JAN_1 } });

    await advance(31 * DAY);

    const [renewal] = await stripe.listInvoices({ subscriptionId: mine.id });
    expect(renewal).toMatchObject({ total: 399 });
    const [other] = await stripe.listInvoices({ subscriptionId: theirs.id });
    expect(other).toMatchObject({ total: 300 });
  });

  it('sends no webhook and raises no event for an invoice item', async () => {
    const subscription = await subscribe(1);
    const before = (await client.events.list({ limit: 100 })).data.length;
    await simFetch(`${sim.url}/_sim/webhooks/drain`, { body: { timeoutMs: 5_000 } });
    const received = receiver.received.length;

    await stripe.createInvoiceItem(itemFor(subscription, 100), key());
    await simFetch(`${sim.url}/_sim/webhooks/drain`, { body: { timeoutMs: 5_000 } });

    expect((await client.events.list({ limit: 100 })).data).toHaveLength(before);
    expect(receiver.received).toHaveLength(received);
  });

  it("answers Stripe's 400s naming the parameter", async () => {
    const subscription = await subscribe(1);
    const refusal = (params: Stripe.InvoiceItemCreateParams) => client.invoiceItems.create(params).catch((e: unknown) => e);

    await expect(refusal({ amount: 100, currency: 'usd' })).resolves.toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'customer' });
    await expect(refusal({ customer: subscription.customerId, currency: 'usd' })).resolves.toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'amount',
    });
    await expect(refusal({ customer: 'cus_missing', amount: 100 })).resolves.toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'customer',
      message: "No such customer: 'cus_missing'",
    });
    await expect(refusal({ customer: subscription.customerId, subscription: 'sub_missing', amount: 100 })).resolves.toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'subscription',
    });
    const other = await subscribe(1);
    await expect(refusal({ customer: subscription.customerId, subscription: other.id, amount: 100 })).resolves.toMatchObject({
      statusCode: 400,
      param: 'subscription',
    });
    await expect(client.invoiceItems.retrieve('ii_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect((await client.invoiceItems.list({ customer: subscription.customerId })).data).toEqual([]);

    const state = await simFetch<{ stripe: { invoiceItems: unknown[] } }>(`${sim.url}/_sim/state`);
    expect(state.body.stripe.invoiceItems).toEqual([]);
  });

  it('shows items in the state dump, pending or invoiced', async () => {
    const subscription = await subscribe(1);
    const item = await stripe.createInvoiceItem(itemFor(subscription, 77), key());
    const dump = async () =>
      (await simFetch<{ stripe: { invoiceItems: { id: string; amount: number; invoice: string | null; metadata: Record<string, string> }[] } }>(`${sim.url}/_sim/state`))
        .body.stripe.invoiceItems;
    expect(await dump()).toEqual([expect.objectContaining({ id: item.id, amount: 77, invoice: null, metadata: { numberId: 'num_1' } })]);
    await advance(31 * DAY);
    const [renewal] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(await dump()).toEqual([expect.objectContaining({ id: item.id, invoice: renewal.id })]);
  });
});
