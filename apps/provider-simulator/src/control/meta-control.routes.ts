import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { nextCodeSmsSchema, parseControlInput } from './control.schemas';

/** Meta scenarios: `POST /_sim/meta/next-code-sms {drop?, delayMs?}`: the next verification SMS never arrives, or arrives late. */
export function registerMetaControlRoutes(app: FastifyInstance, { state }: SimulatorContext): void {
  app.post('/meta/next-code-sms', async (request, reply) => {
    state.meta.nextCodeSms = parseControlInput(nextCodeSmsSchema, request.body);
    return reply.code(201).send({ nextCodeSms: state.meta.nextCodeSms });
  });
}
