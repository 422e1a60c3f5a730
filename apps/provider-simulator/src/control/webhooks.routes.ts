import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { drainSchema, parseControlInput, webhookDeliveryInputSchema, webhookPolicyInputSchema } from './control.schemas';

/**
 * `GET|PUT /_sim/webhooks/policy`: how upcoming webhooks are delivered (delay, copies, shuffle).
 * `POST /_sim/webhooks/deliveries`: sign and send `event` (or a batch of `events`) now and
 * answer once delivered, with one record per copy.
 * `GET /_sim/webhooks/pending`: provider-originated batches still being delivered;
 * `POST /_sim/webhooks/drain {timeoutMs?}`: answers once none are (`drained: false` on timeout).
 */
export function registerWebhookRoutes(app: FastifyInstance, { webhooks, services }: SimulatorContext): void {
  app.get('/webhooks/pending', async () => ({ pending: services.dispatcher.pending() }));

  app.post('/webhooks/drain', async (request) => {
    const { timeoutMs } = parseControlInput(drainSchema, request.body);
    return { drained: await services.dispatcher.drain(timeoutMs), pending: services.dispatcher.pending() };
  });

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
