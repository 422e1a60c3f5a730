import type { FastifyInstance } from 'fastify';
import { mergeMetadata, type StripeStore } from '../state/stripe.store';
import { invalidRequest, resourceMissing } from './stripe-errors';
import { toSubscriptionItemObject } from './stripe-objects.mapper';
import { PRORATION_BEHAVIORS } from './stripe-subscription-changes';
import { asParams, optionalEnum, optionalInteger, optionalMetadata, optionalString } from './stripe-params';

type ById = { Params: { id: string } };

/** `GET /v1/subscription_items/:id`, `POST /v1/subscription_items/:id` (quantity, price, metadata). */
export function registerStripeSubscriptionItemRoutes(app: FastifyInstance, store: StripeStore): void {
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
    optionalEnum(params, 'proration_behavior', PRORATION_BEHAVIORS);
    if (subscription.status === 'canceled') {
      throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
    }
    if (quantity !== undefined) item.quantity = quantity;
    if (priceId) {
      store.price(priceId);
      item.priceId = priceId;
    }
    if (metadata) item.metadata = mergeMetadata(item.metadata, metadata);
    return toSubscriptionItemObject(item, subscription, store);
  });
}
