import type { FastifyInstance } from 'fastify';
import type { StripeStore } from '../state/stripe.store';
import { resourceMissing } from './stripe-errors';
import { toCustomerObject } from './stripe-objects.mapper';
import { asParams, optionalMetadata, optionalString, withoutEmptyValues } from './stripe-params';

/** `POST /v1/customers`, `GET /v1/customers/:id`. */
export function registerStripeCustomerRoutes(app: FastifyInstance, store: StripeStore): void {
  app.post('/customers', async (request) => {
    const params = asParams(request.body);
    const customer = store.createCustomer({
      name: optionalString(params, 'name') ?? null,
      email: optionalString(params, 'email') ?? null,
      description: optionalString(params, 'description') ?? null,
      metadata: withoutEmptyValues(optionalMetadata(params) ?? {}),
    });
    return toCustomerObject(customer);
  });

  app.get<{ Params: { id: string } }>('/customers/:id', async (request) => {
    const customer = store.getCustomer(request.params.id);
    if (!customer) throw resourceMissing('customer', request.params.id);
    return toCustomerObject(customer);
  });
}
