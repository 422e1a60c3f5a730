import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import qs from 'qs';
import { randomId } from '../shared/random-id';
import { applyProviderScope } from '../shared/provider-scope';
import type { SimulatorContext } from '../simulator.context';
import { registerStripeCheckoutSessionRoutes } from './stripe-checkout-sessions.routes';
import { registerStripeCreditNoteRoutes } from './stripe-credit-notes.routes';
import { registerStripeCustomerRoutes } from './stripe-customers.routes';
import { registerStripeEventRoutes } from './stripe-events.routes';
import { registerStripeInvoiceItemRoutes } from './stripe-invoice-items.routes';
import { registerStripeInvoiceRoutes } from './stripe-invoices.routes';
import { registerStripePriceRoutes } from './stripe-prices.routes';
import { registerStripeSubscriptionItemRoutes } from './stripe-subscription-items.routes';
import { registerStripeSubscriptionRoutes } from './stripe-subscriptions.routes';
import { stripeDialect } from './stripe.dialect';

/**
 * Stripe's REST API under `/v1`: form-encoded bodies with nested keys (`items[0][price]`),
 * decoded with `qs` as Stripe does. New resources register their routes here.
 */
export async function stripePlugin(app: FastifyInstance, options: { context: SimulatorContext }): Promise<void> {
  const { context } = options;
  await app.register(formbody, { parser: (body) => qs.parse(body, { arrayLimit: 1000, depth: 10 }) });
  app.addHook('onRequest', async (request) => {
    request.sim.requestId = randomId('req_');
  });
  applyProviderScope(app, stripeDialect, context.state.idempotency);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('request-id', request.sim.requestId ?? randomId('req_'));
    return payload;
  });

  registerStripeCustomerRoutes(app, context.state.stripe);
  registerStripePriceRoutes(app, context.state.stripe);
  registerStripeSubscriptionRoutes(app, context);
  registerStripeSubscriptionItemRoutes(app, context);
  registerStripeCheckoutSessionRoutes(app, context);
  registerStripeInvoiceRoutes(app, context);
  registerStripeInvoiceItemRoutes(app, context);
  registerStripeCreditNoteRoutes(app, context);
  registerStripeEventRoutes(app, context);
}
