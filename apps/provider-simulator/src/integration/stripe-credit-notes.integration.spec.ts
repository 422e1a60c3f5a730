import { ProviderError, type StripeGateway } from '@numbers/providers';
import Stripe from 'stripe';
import { isStripeEvent, verifiedStripeEvents } from '../testing/provider-webhooks';
import { simFetch, type RunningSimulator } from '../testing/simulator-test-harness';
import type { WebhookReceiver } from '../testing/webhook-receiver';
import { advanceClock, DAY, JAN_1, FEB_1, resetStripeClock, startStripeClockBed, stopStripeClockBed } from '../testing/stripe-clock-bed';

/**
 * Money given back and money refused, through the stripe SDK: credit notes on paid and open
 * invoices (the customer's balance, the next invoice), failures armed for one customer only, and
 * a cancelled subscription's `customer.subscription.deleted`.
 */
describe('Stripe credit notes, failed payments and cancellation against the simulator', () => {
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

  async function subscribe(quantity: number) {
    const { customerId } = await stripe.createCustomer({ accountId: 'acc_c', name: 'Credits' }, key());
    const subscription = await stripe.createSubscription({ customerId, accountId: 'acc_c', quantity }, key());
    return { ...subscription, customerId };
  }

  async function renewal(subscriptionId: string) {
    await advance(FEB_1 - JAN_1);
    const [invoice] = await stripe.listInvoices({ subscriptionId });
    expect(invoice.billingReason).toBe('subscription_cycle');
    return invoice;
  }

  it('credits one unit of a paid invoice line to the customer balance; the next invoice uses it', async () => {
    const subscription = await subscribe(3);
    const invoice = await renewal(subscription.id);
    const [line] = invoice.lines;
    expect(line).toMatchObject({ amount: 900, quantity: 3, subscriptionItemId: subscription.items[0].id, invoiceItemId: null });

    const input = { invoiceId: invoice.id, lines: [{ invoiceLineItemId: line.id, quantity: 1 }], creditAmountCents: 300, memo: 'slot not active', metadata: { numberId: 'num_1' } };
    const note = await stripe.createCreditNote(input, 'credit-num_1-inv');
    expect(note).toMatchObject({ invoiceId: invoice.id, customerId: subscription.customerId, total: 300, prePaymentAmount: 0, postPaymentAmount: 300, creditAmount: 300, metadata: { numberId: 'num_1' } });
    // The same key answers the same credit note; the invoice line can give back two more units, no more.
    await expect(stripe.createCreditNote(input, 'credit-num_1-inv')).resolves.toMatchObject({ id: note.id });
    await expect(stripe.listCreditNotes({ invoiceId: invoice.id })).resolves.toEqual([expect.objectContaining({ id: note.id })]);
    await expect(client.customers.retrieve(subscription.customerId)).resolves.toMatchObject({ balance: -300 });
    await expect(client.invoices.retrieve(invoice.id)).resolves.toMatchObject({ status: 'paid', post_payment_credit_notes_amount: 300, amount_paid: 900 });
    await stripe.createCreditNote({ ...input, lines: [{ invoiceLineItemId: line.id, quantity: 2 }], creditAmountCents: 600 }, key());
    const over = stripe.createCreditNote(input, key());
    await expect(over).rejects.toBeInstanceOf(ProviderError);
    await expect(over).rejects.toMatchObject({ status: 400 });

    // Signed `credit_note.created` for each.
    const delivered = await receiver.waitFor(isStripeEvent('credit_note.created'), { count: 2 });
    const events = verifiedStripeEvents(delivered, sim.config.STRIPE_WEBHOOK_SECRET);
    expect(events.map((e) => (e.data.object as Stripe.CreditNote).amount)).toEqual([300, 600]);

    // The next renewal uses the balance: 900 due less 900 of credit.
    await advance(28 * DAY);
    const [next] = await stripe.listInvoices({ subscriptionId: subscription.id });
    expect(next).toMatchObject({ billingReason: 'subscription_cycle', total: 900, amountDue: 0, status: 'paid' });
    await expect(client.customers.retrieve(subscription.customerId)).resolves.toMatchObject({ balance: 0 });
  });

  it('a paid invoice needs the credit placed: a credit note without credit_amount is refused, as Stripe does', async () => {
    const subscription = await subscribe(1);
    const invoice = await renewal(subscription.id);
    const refused = stripe.createCreditNote({ invoiceId: invoice.id, lines: [{ invoiceLineItemId: invoice.lines[0].id, quantity: 1 }], creditAmountCents: null, memo: 'm', metadata: {} }, key());
    await expect(refused).rejects.toMatchObject({ status: 400 });
    await expect(refused).rejects.toThrow(/post-payment amount/);
    // `amount` alone, refunded to the card.
    const refund = await client.creditNotes.create({ invoice: invoice.id, amount: 100, refund_amount: 100 }, { idempotencyKey: key() });
    expect(refund).toMatchObject({ total: 100, post_payment_amount: 100, refunds: [expect.objectContaining({ amount_refunded: 100 })] });
  });

  it('a credit note on an unpaid invoice lowers what is due; credited in full, it is paid and the subscription active again', async () => {
    const subscription = await subscribe(2);
    await simFetch(`${sim.url}/_sim/stripe/fail-next-payment`, { body: { customer: subscription.customerId } });
    const invoice = await renewal(subscription.id);
    expect(invoice).toMatchObject({ status: 'open', amountDue: 600, amountPaid: 0 });
    await expect(stripe.getSubscription(subscription.id)).resolves.toMatchObject({ status: 'past_due' });

    const half = await stripe.createCreditNote({ invoiceId: invoice.id, lines: [{ invoiceLineItemId: invoice.lines[0].id, quantity: 1 }], creditAmountCents: null, memo: 'm', metadata: {} }, key());
    expect(half).toMatchObject({ prePaymentAmount: 300, postPaymentAmount: 0 });
    await expect(stripe.getInvoice(invoice.id)).resolves.toMatchObject({ status: 'open', amountDue: 300 });
    await stripe.createCreditNote({ invoiceId: invoice.id, lines: [{ invoiceLineItemId: invoice.lines[0].id, quantity: 1 }], creditAmountCents: null, memo: 'm', metadata: {} }, key());
    await expect(stripe.getInvoice(invoice.id)).resolves.toMatchObject({ status: 'paid', amountDue: 0 });
    await expect(stripe.getSubscription(subscription.id)).resolves.toMatchObject({ status: 'active' });
    await receiver.waitFor(isStripeEvent('invoice.paid', (o) => o['id'] === invoice.id));
  });

  it('arms a failure for one customer: another customer’s charge still succeeds; the invoice is paid when retried', async () => {
    const [mine, theirs] = [await subscribe(1), await subscribe(1)];
    const armed = await simFetch<{ armed: number }>(`${sim.url}/_sim/stripe/fail-next-payment`, { body: { customer: mine.customerId } });
    expect(armed).toMatchObject({ status: 201, body: { armed: 1 } });
    await advance(FEB_1 - JAN_1);
    const [failed] = await stripe.listInvoices({ subscriptionId: mine.id });
    const [paid] = await stripe.listInvoices({ subscriptionId: theirs.id });
    expect([failed.status, paid.status]).toEqual(['open', 'paid']);
    expect(failed.attemptCount).toBe(1);
    await receiver.waitFor(isStripeEvent('invoice.payment_failed', (o) => o['id'] === failed.id));

    await client.invoices.pay(failed.id, {}, { idempotencyKey: key() });
    await expect(stripe.getInvoice(failed.id)).resolves.toMatchObject({ status: 'paid', amountPaid: 300 });
    await expect(stripe.getSubscription(mine.id)).resolves.toMatchObject({ status: 'active' });
    await receiver.waitFor(isStripeEvent('invoice.paid', (o) => o['id'] === failed.id));
  });

  it('cancelling a subscription sends a signed customer.subscription.deleted', async () => {
    const subscription = await subscribe(1);
    await stripe.cancelSubscription(subscription.id, key());
    const [webhook] = await receiver.waitFor(isStripeEvent('customer.subscription.deleted', (o) => o['id'] === subscription.id));
    const [event] = verifiedStripeEvents([webhook], sim.config.STRIPE_WEBHOOK_SECRET);
    expect(event.data.object).toMatchObject({ id: subscription.id, status: 'canceled' });
  });
});
