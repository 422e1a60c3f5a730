import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { faultInputSchema, parseControlInput } from './control.schemas';

/**
 * `POST /_sim/faults` arms a fault for the next `times` matching calls:
 * `{provider, method, path, action:'fail'|'delay', status?, delayMs?, times?}`.
 * `GET /_sim/faults` lists the armed ones; `DELETE /_sim/faults` disarms all.
 */
export function registerFaultRoutes(app: FastifyInstance, { state }: SimulatorContext): void {
  app.post('/faults', async (request, reply) => {
    const fault = state.faults.add(parseControlInput(faultInputSchema, request.body));
    return reply.code(201).send({ fault });
  });
  app.get('/faults', async () => ({ faults: state.faults.list() }));
  app.delete('/faults', async (_request, reply) => {
    state.faults.clear();
    return reply.code(204).send();
  });
}
