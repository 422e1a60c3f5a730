import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { cardDeclined, invalidRequest, resourceMissing } from './stripe-errors';
import { toInvoiceObject } from './stripe-invoice.mapper';
import { eventCause } from './stripe-request-cause';

type ById = { Params: { id: string } };
type ListQuery = { Querystring: { customer?: string; subscription?: string; status?: string; limit?: string; starting_after?: string } };

/** `GET /v1/invoices?customer=&subscription=&status=&limit=&starting_after=`, `GET /v1/invoices/:id`, `POST /v1/invoices/:id/pay`. */
export function registerStripeInvoiceRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const store = state.stripe;
  const find = (id: string) => {
    const invoice = state.stripeInvoices.get(id);
    if (!invoice) throw resourceMissing('invoice', id);
    return invoice;
  };

  app.get<ListQuery>('/invoices', async (request) => {
    const { customer, subscription, status, starting_after: startingAfter } = request.query;
    const limit = request.query.limit === undefined ? 10 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest('Invalid integer: limit must be between 1 and 100.', 'limit');
    let invoices = state.stripeInvoices.list({ customerId: customer, subscriptionId: subscription, status });
    if (startingAfter) {
      const index = invoices.findIndex((invoice) => invoice.id === startingAfter);
      if (index < 0) throw resourceMissing('invoice', startingAfter, 'starting_after');
      invoices = invoices.slice(index + 1);
    }
    return {
      object: 'list',
      data: invoices.slice(0, limit).map((invoice) => toInvoiceObject(invoice, store)),
      has_more: invoices.length > limit,
      url: '/v1/invoices',
    };
  });

  app.get<ById>('/invoices/:id', async (request) => toInvoiceObject(find(request.params.id), store));

  app.post<ById>('/invoices/:id/pay', async (request) => {
    const invoice = find(request.params.id);
    if (invoice.status !== 'open') throw invalidRequest('Invoice is already paid', undefined, 'invoice_not_open');
    const batch = services.stripeEvents.batch(eventCause(request));
    const paid = services.billing.payInvoice(invoice, batch);
    batch.dispatch();
    if (!paid) throw cardDeclined();
    return toInvoiceObject(invoice, store);
  });
}
