import type { FastifyInstance } from 'fastify';
import type { TelnyxStore } from '../state/telnyx.store';
import { telnyxNotFound } from './telnyx-errors';
import { paginate } from './telnyx-pagination';
import { toTelnyxDeletedPhoneNumber, toTelnyxPhoneNumber } from './telnyx-objects.mapper';
import { queryString, telnyxQuery } from './telnyx-query';

type ById = { Params: { id: string } };

/**
 * `GET /v2/phone_numbers?filter[phone_number]=&filter[customer_reference]=&filter[status]=`,
 * `GET /v2/phone_numbers/:id`; `DELETE /v2/phone_numbers/:id` (404 once deleted). Deleted numbers
 * are listed only when asked for with `filter[status]=deleted`.
 */
export function registerTelnyxPhoneNumberRoutes(app: FastifyInstance, store: TelnyxStore): void {
  app.get('/phone_numbers', async (request) => {
    const query = telnyxQuery(request);
    const phoneNumber = queryString(query, 'filter', 'phone_number');
    const reference = queryString(query, 'filter', 'customer_reference');
    const status = queryString(query, 'filter', 'status');
    const numbers = store
      .list()
      .filter(
        (record) =>
          (status ? record.status === status : record.status !== 'deleted') &&
          (!phoneNumber || record.phoneNumber.replace(/^\+/, '').includes(phoneNumber.replace(/^\+/, ''))) &&
          (!reference || record.customerReference === reference),
      );
    return paginate(numbers.map(toTelnyxPhoneNumber), query);
  });

  app.get<ById>('/phone_numbers/:id', async (request) => {
    const record = store.findLive(request.params.id);
    if (!record) throw telnyxNotFound();
    return { data: toTelnyxPhoneNumber(record) };
  });

  app.delete<ById>('/phone_numbers/:id', async (request) => {
    const record = store.findLive(request.params.id);
    if (!record) throw telnyxNotFound();
    return { data: toTelnyxDeletedPhoneNumber(store.delete(record)) };
  });
}
