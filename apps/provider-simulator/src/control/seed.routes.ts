import type { FastifyInstance } from 'fastify';
import { toGraphPhoneNumber } from '../meta/meta-objects.mapper';
import type { SimulatorContext } from '../simulator.context';
import { DuplicateMetaNumberError } from '../state/meta.store';
import { DuplicateNumberError } from '../state/telnyx.store';
import { toTelnyxPhoneNumber } from '../telnyx/telnyx-objects.mapper';
import { metaNumberInputSchema, parseControlInput, telnyxNumberInputSchema } from './control.schemas';

/**
 * Seeds numbers that exist at a provider, for the seed script and tests:
 * `POST /_sim/telnyx/numbers` answers `{data}` as Telnyx would show the number;
 * `POST /_sim/meta/numbers` answers the Graph phone-number object.
 */
export function registerSeedRoutes(app: FastifyInstance, { state }: SimulatorContext): void {
  app.post('/telnyx/numbers', async (request, reply) => {
    const input = parseControlInput(telnyxNumberInputSchema, request.body);
    try {
      return reply.code(201).send({ data: toTelnyxPhoneNumber(state.telnyx.addNumber(input)) });
    } catch (error) {
      if (error instanceof DuplicateNumberError) return reply.code(409).send({ error: error.message });
      throw error;
    }
  });

  app.post('/meta/numbers', async (request, reply) => {
    const input = parseControlInput(metaNumberInputSchema, request.body);
    try {
      return reply.code(201).send(toGraphPhoneNumber(state.meta.addNumber(input)));
    } catch (error) {
      if (error instanceof DuplicateMetaNumberError) return reply.code(409).send({ error: error.message });
      throw error;
    }
  });
}
