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
 * delay and `number_order.complete` follows; a number of a KYC country needs an approved
 * `requirement_group_id`), `GET /v2/number_orders/:id`,
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
      const requirementGroupId = optional(entry.requirement_group_id);
      checkRequirementGroup(state, entry.phone_number, requirementGroupId, i);
      return { phoneNumber: entry.phone_number, requirementGroupId, bundleId: optional(entry.bundle_id) };
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

/**
 * A number of a country that needs regulatory approval (`PUT /_sim/telnyx/countries/:code/kyc`;
 * DE, FR, BR and AU by default) is ordered only with an approved requirement group of its country.
 */
function checkRequirementGroup(state: SimulatorContext['state'], phoneNumber: string, requirementGroupId: string | null, line: number): void {
  const country = state.telnyxInventory.find(phoneNumber)?.countryCode;
  if (!country || !state.telnyxRequirementGroups.needsRequirementGroup(country)) return;
  const pointer = `phone_numbers/${line}/requirement_group_id`;
  if (!requirementGroupId) throw invalid(pointer, `Numbers in ${country} need an approved requirement group (requirement_group_id).`);
  const group = state.telnyxRequirementGroups.get(requirementGroupId);
  if (!group) throw invalid(pointer, `Requirement group ${requirementGroupId} was not found.`);
  if (group.countryCode !== country) throw invalid(pointer, `Requirement group ${requirementGroupId} is for ${group.countryCode}, not ${country}.`);
  if (group.status !== 'approved') throw invalid(pointer, `Requirement group ${requirementGroupId} is ${group.status}: it must be approved.`);
}

function optional(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function invalid(pointer: string, detail: string): ProviderReplyError {
  const reply = telnyxError(422, '10015', 'Invalid value for parameter', detail);
  (reply.body as { errors: Record<string, unknown>[] }).errors[0].source = { pointer: `/${pointer}` };
  return new ProviderReplyError(reply);
}
