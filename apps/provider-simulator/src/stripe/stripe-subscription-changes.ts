import type { Metadata, NewItem, SubscriptionRecord } from '../state/stripe.store';
import { mergeMetadata } from '../state/stripe.store';
import { ProviderReplyError } from '../shared/provider-reply';
import type { ItemChange, ProrationBehavior, StripeBilling } from './billing/stripe-billing.service';
import type { StripeEventBatch } from './stripe-events';
import { previousAttributes } from './stripe-events';
import { invalidRequest, parameterInvalid, parameterMissing, stripeError } from './stripe-errors';
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

/** `trial_end`: a unix time in the future, or `now` where allowed. */
export function readTrialEnd(params: StripeParams, name: string, now: number, allowNow: boolean): number | 'now' | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === 'now' && allowNow) return 'now';
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw parameterInvalid(name, `Invalid ${name}: must be an integer Unix timestamp${allowNow ? " or 'now'" : ''}.`);
  }
  const at = Number(value);
  if (at <= now) throw invalidRequest(`Invalid timestamp: must be an integer Unix timestamp in the future.`, name);
  return at;
}

export interface SubscriptionUpdate {
  changes: ItemChange[];
  behavior: ProrationBehavior;
  prorationDate: number;
  metadata?: Metadata;
  cancelAtPeriodEnd?: boolean;
  trialEnd?: number | 'now';
}

/** Validates a subscription update completely before anything changes, as Stripe does. */
export function readSubscriptionUpdate(subscription: SubscriptionRecord, params: StripeParams, now: number): SubscriptionUpdate {
  const behavior = optionalEnum(params, 'proration_behavior', PRORATION_BEHAVIORS) ?? 'create_prorations';
  const items = optionalList(params, 'items') ?? [];
  const metadata = optionalMetadata(params);
  const cancelAtPeriodEnd = optionalBoolean(params, 'cancel_at_period_end');
  const trialEnd = readTrialEnd(params, 'trial_end', now, true);
  const prorationDate = optionalInteger(params, 'proration_date') ?? now;
  if (subscription.status === 'canceled' && (items.length > 0 || cancelAtPeriodEnd !== undefined || trialEnd !== undefined)) {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
  if (trialEnd !== undefined && subscription.status !== 'trialing') {
    throw invalidRequest('The simulator only changes trial_end while a subscription is trialing.', 'trial_end');
  }
  return { changes: items.map((item, i) => readItemChange(subscription, item, i)), behavior, prorationDate, metadata, cancelAtPeriodEnd, trialEnd };
}

/** Applies a validated update and raises `customer.subscription.updated` (plus any invoice events). */
export function applySubscriptionUpdate(
  billing: StripeBilling,
  subscription: SubscriptionRecord,
  update: SubscriptionUpdate,
  batch: StripeEventBatch,
): void {
  const before = billing.subscriptionObject(subscription);
  billing.changeItems(subscription, update.changes, update.behavior, update.prorationDate, batch);
  if (update.metadata) subscription.metadata = mergeMetadata(subscription.metadata, update.metadata);
  if (update.cancelAtPeriodEnd !== undefined) subscription.cancelAtPeriodEnd = update.cancelAtPeriodEnd;
  if (update.trialEnd === 'now') billing.endTrial(subscription, batch);
  else if (update.trialEnd !== undefined) billing.moveTrialEnd(subscription, update.trialEnd);
  const after = billing.subscriptionObject(subscription);
  const changed = previousAttributes(before, after);
  if (Object.keys(changed).length > 0 && update.trialEnd !== 'now') batch.add('customer.subscription.updated', after, changed);
}

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
