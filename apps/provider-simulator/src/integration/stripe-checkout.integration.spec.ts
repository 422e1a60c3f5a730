import { createStripeClient, ProviderError, StripeSdkGateway, type StripeGateway } from '@numbers/providers';
import type Stripe from 'stripe';
import { isStripeEvent, verifiedStripeEvents } from '../testing/provider-webhooks';
import { appConfigFor, simFetch, startSimulator, type RunningSimulator } from '../testing/simulator-test-harness';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver';

/** Checkout Sessions through the real stripe SDK, paid through the control API; webhooks verified as the gateway will. */
describe('Stripe Checkout against the simulator', () => {
  let receiver: WebhookReceiver;
  let sim: RunningSimulator;
  let stripe: StripeGateway;
  let client: Stripe;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sim = await startSimulator({ SIMULATOR_WEBHOOK_TARGET: receiver.url }, { webhookRetry: { baseDelayMs: 10 } });
    const config = appConfigFor(sim.url, sim.telnyxPublicKey);
    client = createStripeClient(config.stripe);
    stripe = new StripeSdkGateway(client, config.stripe.priceId);
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await simFetch(`${sim.url}/_sim/webhooks/drain`, { body: {} });
    await simFetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    receiver.received.length = 0;
  });

  const drain = () => simFetch(`${sim.url}/_sim/webhooks/drain`, { body: {} });
  const pay = (id: string) => simFetch<{ session: Record<string, unknown>; redirectUrl: string }>(`${sim.url}/_sim/stripe/checkout/${id}/pay`, { method: 'POST' });

  async function session(options: { trialEnd?: number; numberId?: string } = {}) {
    const { customerId } = await stripe.createCustomer({ accountId: 'acc_1', name: 'Acme' }, `cus-${Math.random()}`);
    const created = await stripe.createCheckoutSession(
      {
        customerId,
        accountId: 'acc_1',
        numberId: options.numberId ?? 'num_1',
        quantity: 1,
        successUrl: 'https://app.example/paid?session_id={CHECKOUT_SESSION_ID}',
        cancelUrl: 'https://app.example/cancelled',
        trialEnd: options.trialEnd,
        metadata: { purchaseIntentId: 'pi_1' },
      },
      `cs-${Math.random()}`,
    );
    return { customerId, created };
  }

  it('creates an open subscription-mode session whose url is the hosted page', async () => {
    const { customerId, created } = await session();
    expect(created).toMatchObject({
      id: expect.stringMatching(/^cs_test_/),
      url: `${sim.url}/checkout/${created.id}`,
      status: 'open',
      paymentStatus: 'unpaid',
      customerId,
      subscriptionId: null,
      clientReferenceId: 'num_1',
      metadata: { purchaseIntentId: 'pi_1', accountId: 'acc_1', numberId: 'num_1' },
    });
    expect(created.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(23 * 3600);
    await expect(stripe.getCheckoutSession(created.id)).resolves.toEqual(created);

    const page = await fetch(created.url as string);
    const html = await page.text();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('$3.00 due today');
    expect(html).toContain('<button type="submit" id="pay">Pay</button>');
  });

  it('pays: subscription, paid invoice, session complete, and the signed events Stripe sends', async () => {
    const { customerId, created } = await session();

    const paid = await pay(created.id);

    expect(paid.status).toBe(200);
    expect(paid.body.redirectUrl).toBe(`https://app.example/paid?session_id=${created.id}`);
    await drain();
    const events = verifiedStripeEvents(receiver.received, sim.config.STRIPE_WEBHOOK_SECRET);
    expect(events.map((e) => e.type)).toEqual(['customer.subscription.created', 'invoice.paid', 'invoice.payment_succeeded', 'checkout.session.completed']);
    for (const event of events) {
      expect(event).toMatchObject({ id: expect.stringMatching(/^evt_/), object: 'event', livemode: false, api_version: expect.any(String) });
    }
    const completed = events[3].data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ id: created.id, status: 'complete', payment_status: 'paid', client_reference_id: 'num_1', customer: customerId });
    expect(completed.metadata).toEqual({ purchaseIntentId: 'pi_1', accountId: 'acc_1', numberId: 'num_1' });

    const subscriptionId = completed.subscription as string;
    const subscription = await stripe.getSubscription(subscriptionId);
    expect(subscription).toMatchObject({ status: 'active', quantity: 1, metadata: { accountId: 'acc_1' }, latestInvoiceId: completed.invoice });
    const [invoice] = await stripe.listInvoices({ subscriptionId });
    expect(invoice).toMatchObject({ status: 'paid', billingReason: 'subscription_create', amountDue: 300, amountPaid: 300 });
    expect(invoice.lines).toEqual([expect.objectContaining({ amount: 300, quantity: 1, proration: false })]);
    await expect(stripe.getCheckoutSession(created.id)).resolves.toMatchObject({ status: 'complete', url: null, subscriptionId });
    const customer = await client.customers.retrieve(customerId);
    expect(customer).toMatchObject({ metadata: { accountId: 'acc_1' } });
  });

  it('replays a create retried with the same key', async () => {
    const input = { accountId: 'acc_1', numberId: 'num_2', quantity: 1, successUrl: 'https://a.example/s', cancelUrl: 'https://a.example/c' };
    const first = await stripe.createCheckoutSession(input, 'cs-once');
    await expect(stripe.createCheckoutSession(input, 'cs-once')).resolves.toEqual(first);
  });

  it('starts a trial: nothing to pay, a $0 invoice, a trialing subscription', async () => {
    const trialEnd = Math.floor(Date.now() / 1000) + 3 * 86_400;
    const { created } = await session({ trialEnd });
    expect(await (await fetch(created.url as string)).text()).toContain('$0.00 due today');

    await pay(created.id);

    const done = await stripe.getCheckoutSession(created.id);
    expect(done).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required' });
    const subscription = await stripe.getSubscription(done.subscriptionId as string);
    expect(subscription).toMatchObject({ status: 'trialing', trialEnd, currentPeriodEnd: trialEnd });
    const invoices = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(invoices).toEqual([expect.objectContaining({ status: 'paid', amountDue: 0, lines: [expect.objectContaining({ amount: 0 })] })]);
  });

  it("keeps custom_text as Stripe does ({message} per position, null when not set) and refuses a message over 1200 characters", async () => {
    const created = await client.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: appConfigFor(sim.url, sim.telnyxPublicKey).stripe.priceId, quantity: 1 }],
      success_url: 'https://app.example/paid',
      custom_text: { submit: { message: 'You pay from the day your number is active.' } },
    });
    expect(created.custom_text).toEqual({ after_submit: null, shipping_address: null, submit: { message: 'You pay from the day your number is active.' }, terms_of_service_acceptance: null });
    await expect(client.checkout.sessions.retrieve(created.id)).resolves.toMatchObject({ custom_text: created.custom_text });
    const tooLong = await client.checkout.sessions
      .create({ mode: 'subscription', line_items: [{ price: appConfigFor(sim.url, sim.telnyxPublicKey).stripe.priceId, quantity: 1 }], custom_text: { after_submit: { message: 'x'.repeat(1201) } } })
      .catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ statusCode: 400, param: 'custom_text[after_submit][message]' });
  });

  it('refuses a trial that ends sooner than Stripe allows', async () => {
    const error = await session({ trialEnd: Math.floor(Date.now() / 1000) + 3600 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, retryable: false });
  });

  it('expires: checkout.session.expired is sent; expiring again answers the expired session; it can no longer be paid', async () => {
    const { created } = await session();

    await expect(stripe.expireCheckoutSession(created.id, 'exp-1')).resolves.toMatchObject({ status: 'expired', url: null });
    await expect(stripe.expireCheckoutSession(created.id, 'exp-2')).resolves.toMatchObject({ status: 'expired' });

    await receiver.waitFor(isStripeEvent('checkout.session.expired'));
    expect((await pay(created.id)).status).toBe(409);
    await drain();
    expect(verifiedStripeEvents(receiver.received, sim.config.STRIPE_WEBHOOK_SECRET).map((e) => e.type)).toEqual(['checkout.session.expired']);
  });

  it('answers a paid session when asked to expire it, so the caller can tell', async () => {
    const { created } = await session();
    await pay(created.id);
    await expect(stripe.expireCheckoutSession(created.id, 'exp-late')).resolves.toMatchObject({ status: 'complete' });
  });

  it('expires through the control API too', async () => {
    const { created } = await session();
    const expired = await simFetch<{ session: { status: string } }>(`${sim.url}/_sim/stripe/checkout/${created.id}/expire`, { method: 'POST' });
    expect(expired).toMatchObject({ status: 200, body: { session: { status: 'expired' } } });
    await receiver.waitFor(isStripeEvent('checkout.session.expired', (object) => object.id === created.id));
  });

  it('keeps the session open when the card is declined, and sends nothing', async () => {
    const { created } = await session();
    await simFetch(`${sim.url}/_sim/stripe/fail-next-payment`, { body: { times: 1 } });

    expect((await pay(created.id)).status).toBe(402);
    await expect(stripe.getCheckoutSession(created.id)).resolves.toMatchObject({ status: 'open', paymentStatus: 'unpaid' });
    await drain();
    expect(receiver.received).toHaveLength(0);

    expect((await pay(created.id)).status).toBe(200);
  });

  it('delivers every event five times, shuffled, under one policy', async () => {
    await simFetch(`${sim.url}/_sim/webhooks/policy`, { method: 'PUT', body: { copies: 5, shuffle: true } });
    const { created } = await session();

    await pay(created.id);
    await drain();

    const events = verifiedStripeEvents(receiver.received, sim.config.STRIPE_WEBHOOK_SECRET);
    expect(events).toHaveLength(20);
    const copies = new Map<string, number>();
    for (const event of events) copies.set(event.id, (copies.get(event.id) ?? 0) + 1);
    expect([...copies.values()]).toEqual([5, 5, 5, 5]);
  });
});
