import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import type { SubscriptionRecord } from '../state/stripe.store';
import { invalidRequest, resourceMissing } from './stripe-errors';
import { asParams, optionalEnum, optionalInteger, optionalMetadata, requiredString, withoutEmptyValues } from './stripe-params';
import { eventCause } from './stripe-request-cause';
import { applySubscriptionUpdate, PRORATION_BEHAVIORS, readNewItems, readSubscriptionUpdate, readTrialEnd } from './stripe-subscription-changes';
import { DAY_SECONDS } from './billing/billing-periods';

type ById = { Params: { id: string } };

/**
 * `POST/GET /v1/subscriptions[/:id]` and `DELETE /v1/subscriptions/:id` (cancel). Creating one
 * charges its first invoice at once (`$0` with `trial_end`/`trial_period_days`); updates prorate.
 */
export function registerStripeSubscriptionRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const store = state.stripe;
  const { billing, stripeEvents } = services;
  const find = (id: string): SubscriptionRecord => {
    const subscription = store.getSubscription(id);
    if (!subscription) throw resourceMissing('subscription', id);
    return subscription;
  };

  app.post('/subscriptions', async (request) => {
    const params = asParams(request.body);
    const now = store.clock.now();
    const customerId = requiredString(params, 'customer');
    const items = readNewItems(params);
    const metadata = withoutEmptyValues(optionalMetadata(params) ?? {});
    optionalEnum(params, 'proration_behavior', PRORATION_BEHAVIORS);
    const trialParam = readTrialEnd(params, 'trial_end', now, true);
    const trialEnd = trialParam === 'now' ? undefined : trialParam; // `now`: no trial
    const trialDays = optionalInteger(params, 'trial_period_days', 'trial_period_days', 1);
    if (trialEnd !== undefined && trialDays !== undefined) {
      throw invalidRequest('You may only specify one of these parameters: trial_end, trial_period_days.', 'trial_end');
    }
    if (!store.getCustomer(customerId)) throw resourceMissing('customer', customerId, 'customer');
    const batch = stripeEvents.batch(eventCause(request));
    const { subscription } = billing.createSubscription(
      { customerId, items, metadata, trialEnd: trialEnd ?? (trialDays !== undefined ? now + trialDays * DAY_SECONDS : null) },
      batch,
    );
    batch.dispatch();
    return billing.subscriptionObject(subscription);
  });

  app.get<ById>('/subscriptions/:id', async (request) => billing.subscriptionObject(find(request.params.id)));

  app.post<ById>('/subscriptions/:id', async (request) => {
    const subscription = find(request.params.id);
    const update = readSubscriptionUpdate(subscription, asParams(request.body), store.clock.now());
    const batch = stripeEvents.batch(eventCause(request));
    applySubscriptionUpdate(billing, subscription, update, batch);
    batch.dispatch();
    return billing.subscriptionObject(subscription);
  });

  app.delete<ById>('/subscriptions/:id', async (request) => {
    const subscription = find(request.params.id);
    if (subscription.status === 'canceled') throw invalidRequest('This subscription has already been canceled.');
    const batch = stripeEvents.batch(eventCause(request));
    billing.cancel(subscription, batch);
    batch.dispatch();
    return billing.subscriptionObject(subscription);
  });
}
