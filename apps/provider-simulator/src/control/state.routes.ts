import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { parseControlInput, requestLogQuerySchema } from './control.schemas';
import { dumpState } from './state-dump';

/** `POST /_sim/reset` (webhooks still in flight are abandoned), `GET /_sim/state`, `GET /_sim/requests?provider=`. */
export function registerStateRoutes(app: FastifyInstance, context: SimulatorContext): void {
  app.post('/reset', async (_request, reply) => {
    context.webhooks.cancelPending();
    context.state.reset();
    context.webhooks.resetPolicy();
    return reply.code(204).send();
  });
  app.get('/state', async () => dumpState(context));
  app.get('/requests', async (request) => {
    const { provider } = parseControlInput(requestLogQuerySchema, request.query);
    return { requests: context.state.requests.list(provider) };
  });
}
