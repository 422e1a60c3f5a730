import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { failPaymentSchema, parseControlInput, priceInputSchema } from './control.schemas';

type ById = { Params: { id: string } };

/**
 * Stripe scenarios: `POST /_sim/stripe/fail-next-payment {times?, declineCode?, customer?, subscription?}`
 * (the next charges, of anyone or of that customer / subscription, are declined), `POST /_sim/stripe/checkout/:id/pay` (what the Pay button does),
 * `POST /_sim/stripe/checkout/:id/expire`, `POST /_sim/stripe/prices {id, unitAmount}`.
 */
export function registerStripeControlRoutes(app: FastifyInstance, { state, services }: SimulatorContext): void {
  const { checkout } = services;

  app.post('/stripe/fail-next-payment', async (request, reply) => {
    const { times, declineCode, customer, subscription } = parseControlInput(failPaymentSchema, request.body);
    const scope = { ...(customer ? { customerId: customer } : {}), ...(subscription ? { subscriptionId: subscription } : {}) };
    return reply.code(201).send({ armed: state.payments.failNext(times, declineCode, scope) });
  });

  app.post('/stripe/prices', async (request, reply) => {
    const price = state.stripe.definePrice(parseControlInput(priceInputSchema, request.body));
    return reply.code(201).send({ price });
  });

  app.post<ById>('/stripe/checkout/:id/pay', async (request, reply) => {
    const session = checkout.find(request.params.id);
    if (!session) return reply.code(404).send({ error: `no checkout session ${request.params.id}` });
    const outcome = checkout.pay(session);
    if (outcome.kind === 'not_open') return reply.code(409).send({ error: `session is ${session.status}`, session: checkout.toObject(session) });
    if (outcome.kind === 'declined') return reply.code(402).send({ error: 'card declined', declineCode: outcome.declineCode, session: checkout.toObject(session) });
    return { session: checkout.toObject(session), redirectUrl: checkout.successRedirect(session) };
  });

  app.post<ById>('/stripe/checkout/:id/expire', async (request, reply) => {
    const session = checkout.find(request.params.id);
    if (!session) return reply.code(404).send({ error: `no checkout session ${request.params.id}` });
    if (!checkout.expire(session, { requestId: null, idempotencyKey: null })) {
      return reply.code(409).send({ error: `session is ${session.status}`, session: checkout.toObject(session) });
    }
    return { session: checkout.toObject(session) };
  });
}
