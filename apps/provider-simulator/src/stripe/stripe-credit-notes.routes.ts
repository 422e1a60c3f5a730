import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import type { CreditNoteLineRequest } from './billing/stripe-credit-notes.service';
import { toCreditNoteObject } from './stripe-credit-note.mapper';
import { invalidRequest, paramObjectMissing, parameterMissing, resourceMissing } from './stripe-errors';
import {
  asParams,
  optionalEnum,
  optionalInteger,
  optionalList,
  optionalMetadata,
  optionalString,
  requiredString,
  withoutEmptyValues,
  type StripeParams,
} from './stripe-params';
import { eventCause } from './stripe-request-cause';

type ById = { Params: { id: string } };

const LINE_TYPES = ['invoice_line_item', 'custom_line_item'] as const;
const REASONS = ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory'] as const;

/**
 * `POST /v1/credit_notes` (`invoice`; `lines[n][type|invoice_line_item|quantity|amount|unit_amount|description]`
 * or `amount`; `credit_amount`, `refund_amount`, `out_of_band_amount`; `memo`, `reason`, `metadata`),
 * `GET /v1/credit_notes/:id`, `GET /v1/credit_notes?invoice=&customer=&limit=&starting_after=`.
 * The money rules are `StripeCreditNotes`'; `credit_note.created` is sent.
 */
export function registerStripeCreditNoteRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const notes = state.stripeCreditNotes;

  app.post('/credit_notes', async (request) => {
    const params = asParams(request.body);
    const invoiceId = requiredString(params, 'invoice');
    const lineParams = optionalList(params, 'lines');
    const amount = optionalInteger(params, 'amount', 'amount', 1);
    if (!lineParams && amount === undefined) throw parameterMissing('lines');
    if (lineParams && amount !== undefined) throw invalidRequest('Give either lines or amount, not both.', 'amount');
    const lines = lineParams?.map(readLine) ?? null;
    const input = {
      creditAmount: optionalInteger(params, 'credit_amount'),
      refundAmount: optionalInteger(params, 'refund_amount'),
      outOfBandAmount: optionalInteger(params, 'out_of_band_amount'),
      memo: optionalString(params, 'memo') ?? null,
      reason: optionalEnum(params, 'reason', REASONS) ?? null,
      metadata: withoutEmptyValues(optionalMetadata(params) ?? {}),
    };
    const invoice = state.stripeInvoices.get(invoiceId);
    if (!invoice) throw paramObjectMissing('invoice', invoiceId, 'invoice');
    const batch = services.stripeEvents.batch(eventCause(request));
    const note = services.creditNotes.issue({ invoice, lines, amount: amount ?? null, ...input }, batch);
    batch.dispatch();
    return toCreditNoteObject(note);
  });

  app.get<ById>('/credit_notes/:id', async (request) => {
    const note = notes.get(request.params.id);
    if (!note) throw resourceMissing('credit_note', request.params.id);
    return toCreditNoteObject(note);
  });

  app.get('/credit_notes', async (request) => {
    const query = asParams(request.query);
    const limit = optionalInteger(query, 'limit', 'limit', 1) ?? 10;
    if (limit > 100) throw invalidRequest('Invalid integer: limit must be between 1 and 100.', 'limit');
    const startingAfter = optionalString(query, 'starting_after');
    let found = notes.list({ invoiceId: optionalString(query, 'invoice'), customerId: optionalString(query, 'customer') });
    if (startingAfter) {
      const index = found.findIndex((note) => note.id === startingAfter);
      if (index < 0) throw resourceMissing('credit_note', startingAfter, 'starting_after');
      found = found.slice(index + 1);
    }
    return { object: 'list', data: found.slice(0, limit).map(toCreditNoteObject), has_more: found.length > limit, url: '/v1/credit_notes' };
  });
}

function readLine(line: StripeParams, i: number): CreditNoteLineRequest {
  const at = (name: string) => `lines[${i}][${name}]`;
  const type = optionalEnum(line, 'type', LINE_TYPES);
  if (!type) throw parameterMissing(at('type'));
  const quantity = optionalInteger(line, 'quantity', at('quantity'), 1);
  const description = optionalString(line, 'description', at('description'));
  if (type === 'custom_line_item') {
    const unitAmount = optionalInteger(line, 'unit_amount', at('unit_amount'), 1);
    if (unitAmount === undefined) throw parameterMissing(at('unit_amount'));
    if (!description) throw parameterMissing(at('description'));
    return { type, unitAmount, quantity: quantity ?? 1, description };
  }
  return {
    type,
    invoiceLineItemId: requiredString(line, 'invoice_line_item', at('invoice_line_item')),
    quantity,
    amount: optionalInteger(line, 'amount', at('amount'), 1),
    description,
  };
}
