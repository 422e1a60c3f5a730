import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { COUNTRY_PLANS } from '../state/telnyx-inventory';
import { NotOnAccountError } from '../telnyx/telnyx-inbound-messages.service';
import { inboundMessageSchema, numberOrderPolicySchema, parseControlInput } from './control.schemas';

type ByCountry = { Params: { code: string } };

/**
 * Telnyx scenarios: `POST /_sim/telnyx/countries/:code/unavailable|available` (empty or restore
 * a country's inventory), `PUT /_sim/telnyx/number-orders/policy {completionDelayMs}`,
 * `POST /_sim/telnyx/messages/inbound {to, from, text}` (an SMS arrives: `message.received`),
 * `GET /_sim/telnyx/verified-numbers` (each verified number and the code its phone last received).
 */
export function registerTelnyxControlRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const setAvailability = (available: boolean) => async (request: { params: { code: string } }) => {
    const country = request.params.code.toUpperCase();
    state.telnyxInventory.setAvailable(country, available);
    return { country, available, seeded: country in COUNTRY_PLANS, unavailable: state.telnyxInventory.unavailableCountries() };
  };
  app.post<ByCountry>('/telnyx/countries/:code/unavailable', setAvailability(false));
  app.post<ByCountry>('/telnyx/countries/:code/available', setAvailability(true));

  app.get('/telnyx/number-orders/policy', async () => ({ policy: { completionDelayMs: state.telnyxOrders.completionDelayMs } }));
  app.put('/telnyx/number-orders/policy', async (request) => {
    const { completionDelayMs } = parseControlInput(numberOrderPolicySchema, request.body);
    state.telnyxOrders.completionDelayMs = completionDelayMs;
    return { policy: { completionDelayMs } };
  });

  app.get('/telnyx/verified-numbers', async () => ({ verifiedNumbers: state.telnyxVerifiedNumbers.list() }));

  app.post('/telnyx/messages/inbound', async (request, reply) => {
    const input = parseControlInput(inboundMessageSchema, request.body);
    try {
      return reply.code(202).send({ data: services.inboundMessages.receive(input) });
    } catch (error) {
      if (error instanceof NotOnAccountError) return reply.code(404).send({ error: error.message });
      throw error;
    }
  });
}
