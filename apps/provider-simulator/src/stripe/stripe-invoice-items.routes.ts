import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { invalidRequest, paramObjectMissing, parameterMissing, resourceMissing } from './stripe-errors';
import { toInvoiceItemObject } from './stripe-invoice.mapper';
import { asParams, optionalBoolean, optionalInteger, optionalMetadata, optionalString, requiredString, withoutEmptyValues, type StripeParams } from './stripe-params';

type ById = { Params: { id: string } };

/**
 * `POST /v1/invoiceitems` (an amount for the customer, left pending for its subscription's next
 * invoice), `GET /v1/invoiceitems/:id`, `GET /v1/invoiceitems?customer=&pending=&invoice=&limit=&starting_after=`.
 * No events: Stripe's `invoiceitem.*` are not sent (README).
 */
export function registerStripeInvoiceItemRoutes(app: FastifyInstance, { state }: SimulatorContext): void {
  const store = state.stripe;
  const items = state.stripeInvoices;

  app.post('/invoiceitems', async (request) => {
    const params = asParams(request.body);
    const now = store.clock.now();
    const customerId = requiredString(params, 'customer');
    const amount = optionalInteger(params, 'amount', 'amount', Number.MIN_SAFE_INTEGER);
    if (amount === undefined) throw parameterMissing('amount');
    const subscriptionId = optionalString(params, 'subscription');
    const currency = optionalString(params, 'currency')?.toLowerCase();
    const description = optionalString(params, 'description') ?? null;
    const metadata = withoutEmptyValues(optionalMetadata(params) ?? {});
    const period = readPeriod(params) ?? { start: now, end: now };

    const customer = store.getCustomer(customerId);
    if (!customer) throw paramObjectMissing('customer', customerId, 'customer');
    const subscription = subscriptionId ? store.getSubscription(subscriptionId) : undefined;
    if (subscriptionId && !subscription) throw paramObjectMissing('subscription', subscriptionId, 'subscription');
    if (subscription && subscription.customerId !== customer.id) {
      throw invalidRequest(`The subscription '${subscription.id}' does not belong to the customer '${customer.id}'.`, 'subscription');
    }
    const subscriptionCurrency = subscription?.items[0] ? store.price(subscription.items[0].priceId).currency : undefined;
    const item = items.addPendingItem({
      created: now,
      customerId: customer.id,
      subscriptionId: subscription?.id ?? null,
      subscriptionItemId: null,
      priceId: null,
      amount,
      currency: currency ?? subscriptionCurrency ?? 'usd',
      description,
      quantity: 1,
      periodStart: period.start,
      periodEnd: period.end,
      proration: false,
      metadata,
    });
    return toInvoiceItemObject(item, store);
  });

  app.get<ById>('/invoiceitems/:id', async (request) => {
    const item = items.getItem(request.params.id);
    if (!item) throw resourceMissing('invoiceitem', request.params.id);
    return toInvoiceItemObject(item, store);
  });

  app.get('/invoiceitems', async (request) => {
    const query = asParams(request.query);
    const limit = optionalInteger(query, 'limit', 'limit', 1) ?? 10;
    if (limit > 100) throw invalidRequest('Invalid integer: limit must be between 1 and 100.', 'limit');
    const startingAfter = optionalString(query, 'starting_after');
    let found = items.listItems({
      customerId: optionalString(query, 'customer'),
      invoiceId: optionalString(query, 'invoice'),
      pending: optionalBoolean(query, 'pending'),
    });
    if (startingAfter) {
      const index = found.findIndex((item) => item.id === startingAfter);
      if (index < 0) throw resourceMissing('invoiceitem', startingAfter, 'starting_after');
      found = found.slice(index + 1);
    }
    return {
      object: 'list',
      data: found.slice(0, limit).map((item) => toInvoiceItemObject(item, store)),
      has_more: found.length > limit,
      url: '/v1/invoiceitems',
    };
  });
}

/** `period[start]` and `period[end]` (unix seconds), both or neither, the end not before the start. */
function readPeriod(params: StripeParams): { start: number; end: number } | undefined {
  const value = params['period'];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Invalid object: period', 'period');
  const period = value as StripeParams;
  const start = optionalInteger(period, 'start', 'period[start]');
  const end = optionalInteger(period, 'end', 'period[end]');
  if (start === undefined) throw parameterMissing('period[start]');
  if (end === undefined) throw parameterMissing('period[end]');
  if (end < start) throw invalidRequest('The period end must be at or after the period start.', 'period[end]');
  return { start, end };
}
