import type { FastifyInstance } from 'fastify';
import type { StripeStore, SubscriptionRecord } from '../state/stripe.store';
import { invalidRequest, resourceMissing } from './stripe-errors';
import { toSubscriptionObject } from './stripe-objects.mapper';
import { applySubscriptionUpdate, PRORATION_BEHAVIORS, readNewItems } from './stripe-subscription-changes';
import { asParams, optionalEnum, optionalMetadata, requiredString, withoutEmptyValues } from './stripe-params';

type ById = { Params: { id: string } };

/** `POST/GET /v1/subscriptions[/:id]` and `DELETE /v1/subscriptions/:id` (cancel). */
export function registerStripeSubscriptionRoutes(app: FastifyInstance, store: StripeStore): void {
  const find = (id: string): SubscriptionRecord => {
    const subscription = store.getSubscription(id);
    if (!subscription) throw resourceMissing('subscription', id);
    return subscription;
  };

  app.post('/subscriptions', async (request) => {
    const params = asParams(request.body);
    const customerId = requiredString(params, 'customer');
    const items = readNewItems(params);
    const metadata = withoutEmptyValues(optionalMetadata(params) ?? {});
    optionalEnum(params, 'proration_behavior', PRORATION_BEHAVIORS);
    if (!store.getCustomer(customerId)) throw resourceMissing('customer', customerId, 'customer');
    return toSubscriptionObject(store.createSubscription({ customerId, items, metadata }), store);
  });

  app.get<ById>('/subscriptions/:id', async (request) => toSubscriptionObject(find(request.params.id), store));

  app.post<ById>('/subscriptions/:id', async (request) => {
    const subscription = find(request.params.id);
    applySubscriptionUpdate(store, subscription, asParams(request.body));
    return toSubscriptionObject(subscription, store);
  });

  app.delete<ById>('/subscriptions/:id', async (request) => {
    const subscription = find(request.params.id);
    if (subscription.status === 'canceled') throw invalidRequest('This subscription has already been canceled.');
    store.cancel(subscription);
    return toSubscriptionObject(subscription, store);
  });
}
