import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { invalidRequest, resourceMissing } from './stripe-errors';
import { toSubscriptionItemObject } from './stripe-objects.mapper';
import { previousAttributes } from './stripe-events';
import { eventCause } from './stripe-request-cause';
import { PRORATION_BEHAVIORS } from './stripe-subscription-changes';
import { asParams, optionalEnum, optionalInteger, optionalMetadata, optionalString } from './stripe-params';

type ById = { Params: { id: string } };

/**
 * `GET /v1/subscription_items/:id`, `POST /v1/subscription_items/:id` (quantity, price, metadata;
 * prorated per `proration_behavior` like a subscription update).
 */
export function registerStripeSubscriptionItemRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const store = state.stripe;
  const { billing, stripeEvents } = services;
  const find = (id: string) => {
    const item = store.getItem(id);
    const subscription = item ? store.getSubscription(item.subscriptionId) : undefined;
    if (!item || !subscription) throw resourceMissing('subscription_item', id);
    return { item, subscription };
  };

  app.get<ById>('/subscription_items/:id', async (request) => {
    const { item, subscription } = find(request.params.id);
    return toSubscriptionItemObject(item, subscription, store);
  });

  app.post<ById>('/subscription_items/:id', async (request) => {
    const { item, subscription } = find(request.params.id);
    const params = asParams(request.body);
    const quantity = optionalInteger(params, 'quantity');
    const priceId = optionalString(params, 'price');
    const metadata = optionalMetadata(params);
    const behavior = optionalEnum(params, 'proration_behavior', PRORATION_BEHAVIORS) ?? 'create_prorations';
    const prorationDate = optionalInteger(params, 'proration_date') ?? store.clock.now();
    if (subscription.status === 'canceled') {
      throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
    }
    const before = billing.subscriptionObject(subscription);
    const batch = stripeEvents.batch(eventCause(request));
    billing.changeItems(subscription, [{ kind: 'update', itemId: item.id, quantity, priceId, metadata }], behavior, prorationDate, batch);
    const after = billing.subscriptionObject(subscription);
    const changed = previousAttributes(before, after);
    if (Object.keys(changed).length > 0) batch.add('customer.subscription.updated', after, changed);
    batch.dispatch();
    return toSubscriptionItemObject(item, subscription, store);
  });
}
