import type { SimulatorConfig } from '@numbers/config';
import type { SimulatorState } from './state/simulator.state';
import type { WebhookDeliverer } from './webhooks/webhook.deliverer';

/** One simulator instance: its settings, its memory and its outgoing webhooks. */
export interface SimulatorContext {
  readonly config: SimulatorConfig;
  readonly state: SimulatorState;
  readonly webhooks: WebhookDeliverer;
}

declare module 'fastify' {
  interface FastifyInstance {
    simulator: SimulatorContext;
  }
}
