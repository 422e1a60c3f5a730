import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../simulator.context';
import { invalidRequest, resourceMissing } from './stripe-errors';

/** `GET /v1/events/:id` and `GET /v1/events?type=&limit=`: the events Stripe raised (30 days at Stripe; here, until reset). */
export function registerStripeEventRoutes(app: FastifyInstance, { state }: SimulatorContext): void {
  app.get<{ Params: { id: string } }>('/events/:id', async (request) => {
    const event = state.stripeEvents.get(request.params.id);
    if (!event) throw resourceMissing('event', request.params.id);
    return event;
  });

  app.get<{ Querystring: { type?: string; limit?: string } }>('/events', async (request) => {
    const limit = request.query.limit === undefined ? 10 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest('Invalid integer: limit must be between 1 and 100.', 'limit');
    const events = state.stripeEvents.list(request.query.type);
    return { object: 'list', data: events.slice(0, limit), has_more: events.length > limit, url: '/v1/events' };
  });
}
