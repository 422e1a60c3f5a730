import type { FastifyInstance } from 'fastify';
import type { TelnyxStore } from '../state/telnyx.store';
import { telnyxNotFound } from './telnyx-errors';
import { toTelnyxDeletedPhoneNumber, toTelnyxPhoneNumber } from './telnyx-objects.mapper';

type ById = { Params: { id: string } };

/** `GET /v2/phone_numbers/:id`; `DELETE /v2/phone_numbers/:id` (404 once deleted). */
export function registerTelnyxPhoneNumberRoutes(app: FastifyInstance, store: TelnyxStore): void {
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
