import Fastify, { type FastifyInstance } from 'fastify';
import type { SimulatorConfig } from '@numbers/config';
import { checkoutPagePlugin } from './checkout-page/checkout-page.plugin';
import { controlPlugin } from './control/control.plugin';
import { registerFaultInjector } from './control/fault-injector.hook';
import { LATENCY_PROFILES, LatencySampler } from './latency/latency-profile';
import { registerLatency } from './latency/latency.hook';
import { registerRequestLogger } from './control/request-logger.hook';
import { metaPlugin } from './meta/meta.plugin';
import { PROVIDER_DIALECTS, providerOfUrl } from './shared/provider-dialects';
import { newRequestContext, type SimRequestContext } from './shared/request-context';
import { SimulatorLinks } from './shared/simulator-links';
import type { SimulatorContext } from './simulator.context';
import { createServices } from './simulator.services';
import { SimulatorState } from './state/simulator.state';
import { stripePlugin } from './stripe/stripe.plugin';
import { telnyxPlugin } from './telnyx/telnyx.plugin';
import { MetaWebhookSigner } from './webhooks/meta-webhook.signer';
import { StripeWebhookSigner } from './webhooks/stripe-webhook.signer';
import { TelnyxWebhookSigner } from './webhooks/telnyx-webhook.signer';
import { WebhookDeliverer, type WebhookRetryOptions } from './webhooks/webhook.deliverer';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher';

export interface SimulatorOptions {
  /** Webhook retry timing; tests shorten it. */
  webhookRetry?: Partial<WebhookRetryOptions>;
}

/**
 * Builds one provider simulator: Stripe under `/v1` (and its hosted checkout page under
 * `/checkout`), Telnyx under `/v2`, Meta's Graph API under `/graph`, the control API under
 * `/_sim`, and `GET /health`. Not yet listening: call `listen({ port })` (port 0 in tests; a
 * `SIMULATOR_PUBLIC_URL` with port 0 then takes the real port). All state belongs to the instance.
 */
export function createSimulator(config: SimulatorConfig, options: SimulatorOptions = {}): FastifyInstance {
  const app = Fastify({ logger: { level: config.LOG_LEVEL } });
  const state = new SimulatorState();
  const latency = new LatencySampler(LATENCY_PROFILES[config.SIMULATOR_LATENCY], config.SIMULATOR_LATENCY_SEED);
  const webhooks = new WebhookDeliverer({
    targetBaseUrl: config.SIMULATOR_WEBHOOK_TARGET,
    signers: [
      new StripeWebhookSigner(config.STRIPE_WEBHOOK_SECRET),
      new TelnyxWebhookSigner(config.TELNYX_SIGNING_PRIVATE_KEY),
      new MetaWebhookSigner(config.META_APP_SECRET),
    ],
    log: state.webhookDeliveries,
    retry: options.webhookRetry,
    latency,
  });
  const links = new SimulatorLinks(config.SIMULATOR_PUBLIC_URL);
  const services = createServices(state, new WebhookDispatcher(webhooks), links);
  const context: SimulatorContext = { config, state, webhooks, links, services };
  app.decorate('simulator', context);
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address !== null && typeof address === 'object') links.bound(address.port);
  });
  app.addHook('onClose', async () => {
    services.close();
    webhooks.close();
  });

  app.decorateRequest('sim', null as unknown as SimRequestContext);
  app.addHook('onRequest', async (request) => {
    request.sim = newRequestContext(providerOfUrl(request.url));
  });
  registerFaultInjector(app, state.faults);
  registerLatency(app, latency);
  registerRequestLogger(app, state.requests);

  app.get('/health', async () => ({ status: 'ok' }));
  app.register(controlPlugin, { prefix: '/_sim', context });
  app.register(stripePlugin, { prefix: PROVIDER_DIALECTS.stripe.prefix, context });
  app.register(checkoutPagePlugin, { prefix: '/checkout', context });
  app.register(telnyxPlugin, { prefix: PROVIDER_DIALECTS.telnyx.prefix, context });
  app.register(metaPlugin, { prefix: PROVIDER_DIALECTS.meta.prefix, context });
  return app;
}
