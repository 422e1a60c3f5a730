import type Stripe from 'stripe';
import type {
  CheckoutSessionSnapshot,
  CreateCheckoutSessionInput,
  CreateCustomerInput,
  CreateCreditNoteInput,
  CreateInvoiceItemInput,
  CreditNoteSnapshot,
  InvoiceItemSnapshot,
  CreateSubscriptionInput,
  InvoiceSnapshot,
  SetSubscriptionQuantityInput,
  StripeGateway,
  NumberPriceSnapshot,
  SubscriptionSnapshot,
  UpdateSubscriptionItemsInput,
} from '../ports/stripe.gateway';
import { numberPriceLookupKey } from '../ports/stripe.gateway';
import { ProviderError } from '../provider-error';
import { requireIdempotencyKey } from '../require-idempotency-key';
import { fromStripeError } from './stripe-error.mapper';
import { toCheckoutSnapshot, toCreditNoteSnapshot, toInvoiceItemSnapshot, toInvoiceSnapshot, toSubscriptionSnapshot } from './stripe-snapshots';

/** `StripeGateway` over the official `stripe` SDK; the key goes in its `idempotencyKey` option. */
export class StripeSdkGateway implements StripeGateway {
  constructor(
    private readonly stripe: Stripe,
    private readonly defaultPriceId: string,
  ) {}

  async createCustomer(input: CreateCustomerInput, idempotencyKey: string): Promise<{ customerId: string }> {
    const customer = await this.call('customers.create', idempotencyKey, (options) =>
      this.stripe.customers.create(
        { name: input.name, ...(input.email ? { email: input.email } : {}), metadata: { accountId: input.accountId } },
        options,
      ),
    );
    return { customerId: customer.id };
  }

  async createSubscription(input: CreateSubscriptionInput, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const subscription = await this.call('subscriptions.create', idempotencyKey, (options) =>
      this.stripe.subscriptions.create(
        {
          customer: input.customerId,
          items: [{ price: input.priceId ?? this.defaultPriceId, quantity: input.quantity }],
          metadata: { ...input.metadata, accountId: input.accountId },
          ...(input.trialEnd !== undefined ? { trial_end: input.trialEnd } : {}),
        },
        options,
      ),
    );
    return toSubscriptionSnapshot(subscription);
  }

  async setSubscriptionQuantity(input: SetSubscriptionQuantityInput, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const subscription = await this.call('subscriptions.update', idempotencyKey, (options) =>
      this.stripe.subscriptions.update(
        input.subscriptionId,
        {
          items: [{ id: input.itemId, quantity: input.quantity }],
          ...(input.prorationBehavior ? { proration_behavior: input.prorationBehavior } : {}),
        },
        options,
      ),
    );
    return toSubscriptionSnapshot(subscription);
  }

  async updateSubscriptionItems(input: UpdateSubscriptionItemsInput, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const subscription = await this.call('subscriptions.update', idempotencyKey, (options) =>
      this.stripe.subscriptions.update(
        input.subscriptionId,
        {
          items: input.items.map((item) => ('itemId' in item ? { id: item.itemId, quantity: item.quantity } : { price: item.priceId, quantity: item.quantity })),
          ...(input.prorationBehavior ? { proration_behavior: input.prorationBehavior } : {}),
        },
        options,
      ),
    );
    return toSubscriptionSnapshot(subscription);
  }

  async numberPrice(monthlyCents: number, currency: string, idempotencyKey: string): Promise<NumberPriceSnapshot> {
    const lookupKey = numberPriceLookupKey(monthlyCents);
    const found = await this.read('prices.list', () => this.stripe.prices.list({ lookup_keys: [lookupKey], limit: 1 }));
    const price =
      found.data[0] ??
      (await this.call('prices.create', idempotencyKey, (options) =>
        this.stripe.prices.create(
          {
            currency,
            unit_amount: monthlyCents,
            recurring: { interval: 'month' },
            product_data: { name: `Phone number (${monthlyCents} cents a month)` },
            lookup_key: lookupKey,
            metadata: { monthlyCents: String(monthlyCents) },
          },
          options,
        ),
      ));
    return { priceId: price.id, unitAmountCents: price.unit_amount ?? monthlyCents, currency: price.currency };
  }

  async getSubscription(subscriptionId: string): Promise<SubscriptionSnapshot> {
    return toSubscriptionSnapshot(await this.read('subscriptions.retrieve', () => this.stripe.subscriptions.retrieve(subscriptionId)));
  }

  async cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const subscription = await this.call('subscriptions.cancel', idempotencyKey, (options) =>
      this.stripe.subscriptions.cancel(subscriptionId, {}, options),
    );
    return toSubscriptionSnapshot(subscription);
  }

  async endTrial(subscriptionId: string, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const current = await this.getSubscription(subscriptionId);
    if (current.status !== 'trialing') return current;
    const subscription = await this.call('subscriptions.update', idempotencyKey, (options) =>
      this.stripe.subscriptions.update(subscriptionId, { trial_end: 'now' }, options),
    );
    return toSubscriptionSnapshot(subscription);
  }

  async createCheckoutSession(input: CreateCheckoutSessionInput, idempotencyKey: string): Promise<CheckoutSessionSnapshot> {
    const session = await this.call('checkout.sessions.create', idempotencyKey, (options) =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          ...(input.customerId ? { customer: input.customerId } : {}),
          client_reference_id: input.numberId,
          line_items: [{ price: input.priceId ?? this.defaultPriceId, quantity: input.quantity }],
          metadata: { ...input.metadata, accountId: input.accountId, numberId: input.numberId },
          subscription_data: {
            metadata: { accountId: input.accountId },
            ...(input.trialEnd !== undefined ? { trial_end: input.trialEnd } : {}),
          },
          success_url: input.successUrl,
          cancel_url: input.cancelUrl,
          ...(input.expiresAt !== undefined ? { expires_at: input.expiresAt } : {}),
          ...(input.customText
            ? {
                custom_text: {
                  ...(input.customText.submit ? { submit: { message: input.customText.submit } } : {}),
                  ...(input.customText.afterSubmit ? { after_submit: { message: input.customText.afterSubmit } } : {}),
                },
              }
            : {}),
        },
        options,
      ),
    );
    return toCheckoutSnapshot(session);
  }

  async getCheckoutSession(sessionId: string): Promise<CheckoutSessionSnapshot> {
    return toCheckoutSnapshot(await this.read('checkout.sessions.retrieve', () => this.stripe.checkout.sessions.retrieve(sessionId)));
  }

  async expireCheckoutSession(sessionId: string, idempotencyKey: string): Promise<CheckoutSessionSnapshot> {
    try {
      const session = await this.call('checkout.sessions.expire', idempotencyKey, (options) =>
        this.stripe.checkout.sessions.expire(sessionId, {}, options),
      );
      return toCheckoutSnapshot(session);
    } catch (error) {
      // Stripe refuses to expire a session that is no longer open; the caller wants its state.
      if (!(error instanceof ProviderError) || error.status !== 400) throw error;
      const session = await this.getCheckoutSession(sessionId);
      if (session.status === 'open') throw error;
      return session;
    }
  }

  async createInvoiceItem(input: CreateInvoiceItemInput, idempotencyKey: string): Promise<InvoiceItemSnapshot> {
    const item = await this.call('invoiceItems.create', idempotencyKey, (options) =>
      this.stripe.invoiceItems.create(
        {
          customer: input.customerId,
          subscription: input.subscriptionId,
          amount: input.amountCents,
          currency: input.currency,
          description: input.description,
          period: { start: input.periodStart, end: input.periodEnd },
          metadata: input.metadata,
        },
        options,
      ),
    );
    return toInvoiceItemSnapshot(item);
  }

  async listInvoices(filter: { subscriptionId?: string; customerId?: string }): Promise<InvoiceSnapshot[]> {
    if (!filter.subscriptionId && !filter.customerId) throw new Error('listInvoices needs a subscriptionId or a customerId');
    const invoices = await this.read('invoices.list', () =>
      this.stripe.invoices
        .list({
          ...(filter.subscriptionId ? { subscription: filter.subscriptionId } : {}),
          ...(filter.customerId ? { customer: filter.customerId } : {}),
          limit: 100,
        })
        .autoPagingToArray({ limit: 10_000 }),
    );
    return invoices.map((invoice) => toInvoiceSnapshot(invoice));
  }

  async getInvoice(invoiceId: string): Promise<InvoiceSnapshot> {
    const invoice = await this.read('invoices.retrieve', () => this.stripe.invoices.retrieve(invoiceId));
    if (!invoice.lines.has_more) return toInvoiceSnapshot(invoice);
    const lines = await this.read('invoices.listLineItems', () =>
      this.stripe.invoices.listLineItems(invoiceId, { limit: 100 }).autoPagingToArray({ limit: 10_000 }),
    );
    return toInvoiceSnapshot(invoice, lines);
  }

  async createCreditNote(input: CreateCreditNoteInput, idempotencyKey: string): Promise<CreditNoteSnapshot> {
    const note = await this.call('creditNotes.create', idempotencyKey, (options) =>
      this.stripe.creditNotes.create(
        {
          invoice: input.invoiceId,
          lines: input.lines.map((line) => ({
            type: 'invoice_line_item',
            invoice_line_item: line.invoiceLineItemId,
            quantity: line.quantity,
            ...(line.description ? { description: line.description } : {}),
          })),
          ...(input.creditAmountCents !== null ? { credit_amount: input.creditAmountCents } : {}),
          memo: input.memo,
          metadata: input.metadata,
        },
        options,
      ),
    );
    return toCreditNoteSnapshot(note);
  }

  async listCreditNotes(filter: { invoiceId?: string; customerId?: string }): Promise<CreditNoteSnapshot[]> {
    if (!filter.invoiceId && !filter.customerId) throw new Error('listCreditNotes needs an invoiceId or a customerId');
    const notes = await this.read('creditNotes.list', () =>
      this.stripe.creditNotes
        .list({ ...(filter.invoiceId ? { invoice: filter.invoiceId } : {}), ...(filter.customerId ? { customer: filter.customerId } : {}), limit: 100 })
        .autoPagingToArray({ limit: 10_000 }),
    );
    return notes.map(toCreditNoteSnapshot);
  }

  private async call<T>(operation: string, idempotencyKey: string, send: (options: Stripe.RequestOptions) => Promise<T>): Promise<T> {
    const key = requireIdempotencyKey(idempotencyKey, `stripe ${operation}`);
    return this.read(operation, () => send({ idempotencyKey: key }));
  }

  private async read<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fromStripeError(error, operation);
    }
  }
}
