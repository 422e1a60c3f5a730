import Fastify, { type FastifyInstance } from 'fastify';
import type { SimulatorConfig } from '@numbers/config';
import { controlPlugin } from './control/control.plugin';
import { registerFaultInjector } from './control/fault-injector.hook';
import { registerRequestLogger } from './control/request-logger.hook';
import { metaPlugin } from './meta/meta.plugin';
import { PROVIDER_DIALECTS, providerOfUrl } from './shared/provider-dialects';
import { newRequestContext, type SimRequestContext } from './shared/request-context';
import type { SimulatorContext } from './simulator.context';
import { SimulatorState } from './state/simulator.state';
import { stripePlugin } from './stripe/stripe.plugin';
import { telnyxPlugin } from './telnyx/telnyx.plugin';
import { MetaWebhookSigner } from './webhooks/meta-webhook.signer';
import { StripeWebhookSigner } from './webhooks/stripe-webhook.signer';
import { TelnyxWebhookSigner } from './webhooks/telnyx-webhook.signer';
import { WebhookDeliverer, type WebhookRetryOptions } from './webhooks/webhook.deliverer';

export interface SimulatorOptions {
  /** Webhook retry timing; tests shorten it. */
  webhookRetry?: Partial<WebhookRetryOptions>;
}

/**
 * Builds one provider simulator: Stripe under `/v1`, Telnyx under `/v2`, Meta's Graph API under
 * `/graph`, the control API under `/_sim`, and `GET /health`. Not yet listening: call
 * `listen({ port })` (port 0 in tests). All state belongs to the returned instance.
 */
export function createSimulator(config: SimulatorConfig, options: SimulatorOptions = {}): FastifyInstance {
  const app = Fastify({ logger: { level: config.LOG_LEVEL } });
  const state = new SimulatorState();
  const webhooks = new WebhookDeliverer({
    targetBaseUrl: config.SIMULATOR_WEBHOOK_TARGET,
    signers: [
      new StripeWebhookSigner(config.STRIPE_WEBHOOK_SECRET),
      new TelnyxWebhookSigner(config.TELNYX_SIGNING_PRIVATE_KEY),
      new MetaWebhookSigner(config.META_APP_SECRET),
    ],
    log: state.webhookDeliveries,
    retry: options.webhookRetry,
  });
  const context: SimulatorContext = { config, state, webhooks };
  app.decorate('simulator', context);
  app.addHook('onClose', async () => webhooks.close());

  app.decorateRequest('sim', null as unknown as SimRequestContext);
  app.addHook('onRequest', async (request) => {
    request.sim = newRequestContext(providerOfUrl(request.url));
  });
  registerFaultInjector(app, state.faults);
  registerRequestLogger(app, state.requests);

  app.get('/health', async () => ({ status: 'ok' }));
  app.register(controlPlugin, { prefix: '/_sim', context });
  app.register(stripePlugin, { prefix: PROVIDER_DIALECTS.stripe.prefix, state });
  app.register(telnyxPlugin, { prefix: PROVIDER_DIALECTS.telnyx.prefix, state });
  app.register(metaPlugin, { prefix: PROVIDER_DIALECTS.meta.prefix, state });
  return app;
}
