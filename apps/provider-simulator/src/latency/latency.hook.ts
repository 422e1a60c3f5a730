import type { FastifyInstance } from 'fastify';
import { sleep } from '../shared/clock';
import type { LatencySampler } from './latency-profile';

/**
 * The one place API answers are slowed to the latency profile: every provider call waits its
 * drawn delay before its route runs (after the fault injector, so an injected failure or delay
 * still answers as armed). Calls to the control API and the checkout page never wait.
 */
export function registerLatency(app: FastifyInstance, latency: LatencySampler): void {
  if (latency.instant) return;
  app.addHook('onRequest', async (request) => {
    const provider = request.sim.provider;
    if (!provider || request.sim.fault) return;
    const delayMs = latency.apiCall(provider, request.method, request.url.split('?')[0]);
    if (delayMs > 0) await sleep(delayMs);
  });
}
