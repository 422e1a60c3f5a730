import type { SimulatorConfig } from '@numbers/config';
import type { SimulatorLinks } from './shared/simulator-links';
import type { SimulatorServices } from './simulator.services';
import type { SimulatorState } from './state/simulator.state';
import type { WebhookDeliverer } from './webhooks/webhook.deliverer';

/** One simulator instance: its settings, its memory, its behaviour and its outgoing webhooks. */
export interface SimulatorContext {
  readonly config: SimulatorConfig;
  readonly state: SimulatorState;
  readonly webhooks: WebhookDeliverer;
  readonly links: SimulatorLinks;
  readonly services: SimulatorServices;
}

declare module 'fastify' {
  interface FastifyInstance {
    simulator: SimulatorContext;
  }
}
