import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import qs from 'qs';
import { randomId } from '../shared/random-id';
import { applyProviderScope } from '../shared/provider-scope';
import type { SimulatorState } from '../state/simulator.state';
import { registerStripeCustomerRoutes } from './stripe-customers.routes';
import { registerStripeSubscriptionItemRoutes } from './stripe-subscription-items.routes';
import { registerStripeSubscriptionRoutes } from './stripe-subscriptions.routes';
import { stripeDialect } from './stripe.dialect';

/**
 * Stripe's REST API under `/v1`: form-encoded bodies with nested keys (`items[0][price]`),
 * decoded with `qs` as Stripe does. New resources register their routes here.
 */
export async function stripePlugin(app: FastifyInstance, options: { state: SimulatorState }): Promise<void> {
  await app.register(formbody, { parser: (body) => qs.parse(body, { arrayLimit: 1000, depth: 10 }) });
  applyProviderScope(app, stripeDialect, options.state.idempotency);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('request-id', randomId('req_'));
    return payload;
  });

  const store = options.state.stripe;
  registerStripeCustomerRoutes(app, store);
  registerStripeSubscriptionRoutes(app, store);
  registerStripeSubscriptionItemRoutes(app, store);
}
