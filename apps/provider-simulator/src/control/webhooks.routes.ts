import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { parseControlInput, webhookDeliveryInputSchema, webhookPolicyInputSchema } from './control.schemas';

/**
 * `GET|PUT /_sim/webhooks/policy`: how upcoming webhooks are delivered (delay, copies, shuffle).
 * `POST /_sim/webhooks/deliveries`: sign and send `event` (or a batch of `events`) now and
 * answer once delivered, with one record per copy.
 */
export function registerWebhookRoutes(app: FastifyInstance, { webhooks }: SimulatorContext): void {
  app.get('/webhooks/policy', async () => ({ policy: webhooks.getPolicy() }));

  app.put('/webhooks/policy', async (request) => ({
    policy: webhooks.setPolicy(parseControlInput(webhookPolicyInputSchema, request.body)),
  }));

  app.post('/webhooks/deliveries', async (request) => {
    const { provider, event, events, ...override } = parseControlInput(webhookDeliveryInputSchema, request.body);
    const deliveries = events
      ? await webhooks.deliverBatch(provider, events, override)
      : await webhooks.deliver(provider, event, override);
    return { deliveries };
  });
}
