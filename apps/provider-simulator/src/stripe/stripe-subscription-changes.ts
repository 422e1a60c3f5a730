import type { Metadata, NewItem, StripeStore, SubscriptionRecord } from '../state/stripe.store';
import { mergeMetadata } from '../state/stripe.store';
import { stripeError, invalidRequest, parameterMissing } from './stripe-errors';
import { ProviderReplyError } from '../shared/provider-reply';
import {
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalList,
  optionalMetadata,
  optionalString,
  requiredString,
  type StripeParams,
} from './stripe-params';

export const PRORATION_BEHAVIORS = ['create_prorations', 'none', 'always_invoice'] as const;

/** Reads `items[n][price]`/`items[n][quantity]` of a new subscription. */
export function readNewItems(params: StripeParams): NewItem[] {
  const items = optionalList(params, 'items');
  if (!items || items.length === 0) throw parameterMissing('items');
  return items.map((item, i) => ({
    priceId: requiredString(item, 'price', `items[${i}][price]`),
    quantity: optionalInteger(item, 'quantity', `items[${i}][quantity]`) ?? 1,
    metadata: optionalMetadata(item),
  }));
}

/**
 * Applies a subscription update: `items[n][id]` with `quantity`/`price`/`deleted`, items
 * without an id are added, metadata merged, `cancel_at_period_end` set. Validates everything
 * before changing anything, as Stripe does.
 */
export function applySubscriptionUpdate(store: StripeStore, subscription: SubscriptionRecord, params: StripeParams): void {
  optionalEnum(params, 'proration_behavior', PRORATION_BEHAVIORS);
  const items = optionalList(params, 'items') ?? [];
  const metadata = optionalMetadata(params);
  const cancelAtPeriodEnd = optionalBoolean(params, 'cancel_at_period_end');
  if (subscription.status === 'canceled' && (items.length > 0 || cancelAtPeriodEnd !== undefined)) {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }

  const changes = items.map((item, i) => readItemChange(subscription, item, i));
  for (const change of changes) {
    if (change.kind === 'add') store.addItem(subscription, change.item);
    else if (change.kind === 'delete') store.removeItem(subscription, change.itemId);
    else {
      const target = subscription.items.find((candidate) => candidate.id === change.itemId);
      if (!target) continue;
      if (change.priceId) {
        store.price(change.priceId);
        target.priceId = change.priceId;
      }
      if (change.quantity !== undefined) target.quantity = change.quantity;
      if (change.metadata) target.metadata = mergeMetadata(target.metadata, change.metadata);
    }
  }
  if (metadata) subscription.metadata = mergeMetadata(subscription.metadata, metadata);
  if (cancelAtPeriodEnd !== undefined) subscription.cancelAtPeriodEnd = cancelAtPeriodEnd;
}

type ItemChange =
  | { kind: 'add'; item: NewItem }
  | { kind: 'delete'; itemId: string }
  | { kind: 'update'; itemId: string; priceId?: string; quantity?: number; metadata?: Metadata };

function readItemChange(subscription: SubscriptionRecord, item: StripeParams, i: number): ItemChange {
  const itemId = optionalString(item, 'id', `items[${i}][id]`);
  const priceId = optionalString(item, 'price', `items[${i}][price]`);
  const quantity = optionalInteger(item, 'quantity', `items[${i}][quantity]`);
  const metadata = optionalMetadata(item);
  if (!itemId) {
    if (!priceId) throw parameterMissing(`items[${i}][price]`);
    if (subscription.items.some((existing) => existing.priceId === priceId)) {
      throw invalidRequest(
        `Cannot add multiple subscription items with the same price: ${priceId}. Update the existing item instead.`,
        `items[${i}][price]`,
      );
    }
    return { kind: 'add', item: { priceId, quantity: quantity ?? 1, metadata } };
  }
  if (!subscription.items.some((existing) => existing.id === itemId)) {
    throw new ProviderReplyError(
      stripeError(400, 'invalid_request_error', `No such subscription item: '${itemId}'`, {
        code: 'resource_missing',
        param: `items[${i}][id]`,
      }),
    );
  }
  if (optionalBoolean(item, 'deleted', `items[${i}][deleted]`)) return { kind: 'delete', itemId };
  return { kind: 'update', itemId, priceId, quantity, metadata };
}
