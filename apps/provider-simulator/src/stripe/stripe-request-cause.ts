import type { FastifyRequest } from 'fastify';
import type { StripeEventCause } from './stripe-events';

/** `event.request` for events an API request raised: its request id and idempotency key. */
export function eventCause(request: FastifyRequest): StripeEventCause {
  return { requestId: request.sim.requestId, idempotencyKey: request.sim.idempotencyKey };
}
