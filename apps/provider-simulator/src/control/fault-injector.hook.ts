import type { FastifyInstance } from 'fastify';
import { sleep } from '../shared/clock';
import { PROVIDER_DIALECTS } from '../shared/provider-dialects';
import type { FaultRuleStore } from '../state/fault-rule.store';

/**
 * One fault mechanism for every provider: before any provider route runs, the next armed fault
 * matching (provider, method, route pattern or path) fails the call in the provider's error
 * shape, delays it, or lets it run and delays its answer (`delay-answer`: what the route set off,
 * such as an SMS or a webhook, goes out before the caller hears back). Registered at the root, so
 * it runs before auth and idempotency: a failed call leaves no trace in provider state, like a
 * 503 from a load balancer.
 */
export function registerFaultInjector(app: FastifyInstance, faults: FaultRuleStore): void {
  app.addHook('onRequest', async (request, reply) => {
    const provider = request.sim.provider;
    if (!provider) return;
    const fault = faults.take({
      provider,
      method: request.method,
      route: request.routeOptions.url ?? null,
      path: request.url.split('?')[0],
    });
    if (!fault) return;
    request.sim.fault = fault.action;
    if (fault.action === 'delay') {
      await sleep(fault.delayMs);
      return;
    }
    if (fault.action === 'delay-answer') {
      request.sim.answerDelayMs = fault.delayMs;
      return;
    }
    const { status, body } = PROVIDER_DIALECTS[provider].simulatedFailure(fault.status);
    return reply.code(status).send(body);
  });
  app.addHook('onSend', async (request) => {
    if (request.sim?.answerDelayMs) await sleep(request.sim.answerDelayMs);
  });
}
