import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { ProviderReplyError } from '../shared/provider-reply';
import { telnyxError, telnyxNotFound } from './telnyx-errors';
import { toNumberOrderObject } from './telnyx-number-order.mapper';
import { paginate } from './telnyx-pagination';
import { queryString, telnyxQuery } from './telnyx-query';

type ById = { Params: { id: string } };

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * `POST /v2/number_orders` (answers the order `pending`; it completes after the configured
 * delay and `number_order.complete` follows), `GET /v2/number_orders/:id`,
 * `GET /v2/number_orders?filter[customer_reference]=&filter[status]=`.
 */
export function registerTelnyxNumberOrderRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  app.post('/number_orders', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const lines = body.phone_numbers;
    if (!Array.isArray(lines) || lines.length === 0) throw invalid('phone_numbers', 'phone_numbers must list at least one number.');
    const phoneNumbers = lines.map((line: unknown, i) => {
      const entry = (line ?? {}) as Record<string, unknown>;
      if (typeof entry.phone_number !== 'string' || !E164.test(entry.phone_number)) {
        throw invalid(`phone_numbers/${i}/phone_number`, 'phone_number must be an E.164 number, e.g. +15551234567.');
      }
      return { phoneNumber: entry.phone_number, requirementGroupId: optional(entry.requirement_group_id), bundleId: optional(entry.bundle_id) };
    });
    const { order } = services.numberOrders.place({
      customerReference: optional(body.customer_reference),
      connectionId: optional(body.connection_id),
      messagingProfileId: optional(body.messaging_profile_id),
      billingGroupId: optional(body.billing_group_id),
      phoneNumbers,
    });
    return { data: toNumberOrderObject(order) };
  });

  app.get<ById>('/number_orders/:id', async (request) => {
    const order = state.telnyxOrders.get(request.params.id);
    if (!order) throw telnyxNotFound();
    return { data: toNumberOrderObject(order) };
  });

  app.get('/number_orders', async (request) => {
    const query = telnyxQuery(request);
    const orders = state.telnyxOrders.list({
      customerReference: queryString(query, 'filter', 'customer_reference'),
      status: queryString(query, 'filter', 'status'),
    });
    return paginate(orders.reverse().map(toNumberOrderObject), query);
  });
}

function optional(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function invalid(pointer: string, detail: string): ProviderReplyError {
  const reply = telnyxError(422, '10015', 'Invalid value for parameter', detail);
  (reply.body as { errors: Record<string, unknown>[] }).errors[0].source = { pointer: `/${pointer}` };
  return new ProviderReplyError(reply);
}
