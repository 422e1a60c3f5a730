import { createStripeClient, ProviderError, StripeSdkGateway, type StripeGateway } from '@numbers/providers';
import type { SimulatorStateDump } from '../control/state-dump';
import type { RequestLogEntry } from '../state/request-log.store';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';

type SimSubscription = SimulatorStateDump['stripe']['subscriptions'][number];

describe('StripeSdkGateway against the simulator (real stripe SDK)', () => {
  let sim: RunningSimulator;
  let stripe: StripeGateway;

  beforeAll(async () => {
    sim = await startSimulator();
    const config = appConfigFor(sim.url, sim.telnyxPublicKey);
    stripe = new StripeSdkGateway(createStripeClient(config.stripe), config.stripe.priceId);
  });
  afterAll(() => sim.close());

  const simSubscription = async (id: string): Promise<SimSubscription> => {
    const { body } = await simFetch<SimulatorStateDump>(`${sim.url}/_sim/state`);
    const found = body.stripe.subscriptions.find((s) => s.id === id);
    if (!found) throw new Error(`subscription ${id} not in simulator state`);
    return found;
  };
  const stripeRequests = async (): Promise<RequestLogEntry[]> =>
    (await simFetch<{ requests: RequestLogEntry[] }>(`${sim.url}/_sim/requests?provider=stripe`)).body.requests;

  async function customerWithSubscription(quantity: number) {
    const { customerId } = await stripe.createCustomer({ accountId: 'acc_1', name: 'Acme' }, `cus-${Math.random()}`);
    const subscription = await stripe.createSubscription({ customerId, accountId: 'acc_1', quantity }, `sub-${Math.random()}`);
    return { customerId, subscription };
  }

  it('creates a customer and a subscription the SDK parses, with Stripe ids and metadata', async () => {
    const { customerId, subscription } = await customerWithSubscription(1);
    expect(customerId).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(subscription).toMatchObject({
      id: expect.stringMatching(/^sub_/),
      customerId,
      status: 'active',
      quantity: 1,
      metadata: { accountId: 'acc_1' },
      items: [{ id: expect.stringMatching(/^si_/), priceId: 'price_numbers_monthly', quantity: 1, unitAmountCents: 300, currency: 'usd' }],
    });
    await expect(stripe.getSubscription(subscription.id)).resolves.toEqual(subscription);

    const customer = await simFetch<{ object: string; metadata: Record<string, string>; name: string }>(
      `${sim.url}/v1/customers/${customerId}`,
      { headers: { authorization: 'Bearer sk_test_x' } },
    );
    expect(customer.body).toMatchObject({ object: 'customer', name: 'Acme', metadata: { accountId: 'acc_1' } });
  });

  it('replays a quantity change sent twice with one key: the change happens once', async () => {
    const { subscription } = await customerWithSubscription(1);
    const change = { subscriptionId: subscription.id, itemId: subscription.items[0].id, quantity: 2 };

    const first = await stripe.setSubscriptionQuantity(change, 'qty-change-1');
    // Someone else moves the quantity on; a late retry of the first change must not undo it.
    await stripe.setSubscriptionQuantity({ ...change, quantity: 3 }, 'qty-change-2');
    const retried = await stripe.setSubscriptionQuantity(change, 'qty-change-1');

    expect(first.quantity).toBe(2);
    expect(retried).toEqual(first);
    expect((await simSubscription(subscription.id)).quantity).toBe(3);
    const updates = (await stripeRequests()).filter((r) => r.idempotencyKey === 'qty-change-1');
    expect(updates.map((r) => r.replayed)).toEqual([false, true]);
  });

  it('refuses a key reused with other parameters, as a permanent error', async () => {
    const { subscription } = await customerWithSubscription(1);
    const change = { subscriptionId: subscription.id, itemId: subscription.items[0].id, quantity: 4 };
    await stripe.setSubscriptionQuantity(change, 'reused-key');

    const error = await stripe.setSubscriptionQuantity({ ...change, quantity: 5 }, 'reused-key').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'stripe', status: 400, code: 'idempotency_error', retryable: false });
    expect((await simSubscription(subscription.id)).quantity).toBe(4);
  });

  it('maps an unknown subscription to a permanent resource_missing error', async () => {
    await expect(stripe.getSubscription('sub_doesnotexist')).rejects.toMatchObject({
      status: 404,
      code: 'resource_missing',
      retryable: false,
    });
  });

  it('fails with a retryable ProviderError when every attempt hits a 503, retried with the same key', async () => {
    const { subscription } = await customerWithSubscription(1);
    await simFetch(`${sim.url}/_sim/faults`, {
      body: { provider: 'stripe', method: 'POST', path: '/v1/subscriptions/:id', action: 'fail', status: 503, times: 3 },
    });
    const change = { subscriptionId: subscription.id, itemId: subscription.items[0].id, quantity: 7 };

    const error = await stripe.setSubscriptionQuantity(change, 'fault-key').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'stripe', status: 503, retryable: true });
    expect((error as Error).message).not.toContain('sk_test_simulator');
    const attempts = (await stripeRequests()).filter((r) => r.idempotencyKey === 'fault-key');
    expect(attempts.map((r) => [r.status, r.fault])).toEqual([[503, 'fail'], [503, 'fail'], [503, 'fail']]);
    expect((await simSubscription(subscription.id)).quantity).toBe(1);

    // The fault is used up: the job's retry with the same key goes through.
    await expect(stripe.setSubscriptionQuantity(change, 'fault-key')).resolves.toMatchObject({ quantity: 7 });
  });

  it('rides out a single 500 through the SDK retry', async () => {
    const { subscription } = await customerWithSubscription(1);
    await simFetch(`${sim.url}/_sim/faults`, {
      body: { provider: 'stripe', method: 'POST', path: `/v1/subscriptions/${subscription.id}`, action: 'fail' },
    });
    const updated = await stripe.setSubscriptionQuantity(
      { subscriptionId: subscription.id, itemId: subscription.items[0].id, quantity: 2 },
      'one-blip',
    );
    expect(updated.quantity).toBe(2);
    const attempts = (await stripeRequests()).filter((r) => r.idempotencyKey === 'one-blip');
    expect(attempts.map((r) => r.status)).toEqual([500, 200]);
  });

  it('cancels a subscription', async () => {
    const { subscription } = await customerWithSubscription(2);
    await expect(stripe.cancelSubscription(subscription.id, 'cancel-1')).resolves.toMatchObject({ status: 'canceled' });
    await expect(stripe.getSubscription(subscription.id)).resolves.toMatchObject({ status: 'canceled' });
  });
  it('finds a number price by lookup key, creating it once, and a taken lookup key is a 400 as at Stripe', async () => {
    const created = await stripe.numberPrice(900, 'usd', 'number-price-900');
    expect(created).toEqual({ priceId: expect.stringMatching(/^price_/), unitAmountCents: 900, currency: 'usd' });
    // Found by its lookup key the second time: no new price.
    await expect(stripe.numberPrice(900, 'usd', 'number-price-900-again')).resolves.toEqual(created);
    expect((await stripeRequests()).filter((r) => r.method === 'POST' && r.path === '/v1/prices').map((r) => r.idempotencyKey)).toEqual(['number-price-900']);
    const listed = await simFetch<{ data: { id: string; lookup_key: string; unit_amount: number }[] }>(`${sim.url}/v1/prices?lookup_keys[]=number-monthly-900`, {
      headers: { authorization: 'Bearer sk_test_x' },
    });
    expect(listed.body.data).toEqual([expect.objectContaining({ id: created.priceId, lookup_key: 'number-monthly-900', unit_amount: 900 })]);
    const taken = await fetch(`${sim.url}/v1/prices`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_x', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'currency=usd&unit_amount=900&recurring[interval]=month&product_data[name]=x&lookup_key=number-monthly-900',
    });
    expect(taken.status).toBe(400);
  });

  it('adds an item for a new price and sets quantities in one update, without proration', async () => {
    const { subscription } = await customerWithSubscription(1);
    const price = await stripe.numberPrice(600, 'usd', 'number-price-600');
    const updated = await stripe.updateSubscriptionItems(
      { subscriptionId: subscription.id, items: [{ itemId: subscription.items[0].id, quantity: 2 }, { priceId: price.priceId, quantity: 1 }], prorationBehavior: 'none' },
      'two-prices',
    );
    expect(updated.items.map((i) => [i.priceId, i.quantity, i.unitAmountCents])).toEqual([
      ['price_numbers_monthly', 2, 300],
      [price.priceId, 1, 600],
    ]);
    expect(updated.quantity).toBe(3);
  });
});
