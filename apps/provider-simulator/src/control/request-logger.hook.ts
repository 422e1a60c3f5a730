import type { FastifyInstance } from 'fastify';
import type { RequestLogStore } from '../state/request-log.store';

/**
 * Records every provider call once answered: what was asked, how it ended, replayed or not. At
 * onSend, not onResponse: a caller killed while we worked never sees the answer (no onResponse),
 * but the call took effect and a provider's own log would show it.
 */
export function registerRequestLogger(app: FastifyInstance, log: RequestLogStore): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const { provider, fault, idempotencyKey, replayed } = request.sim;
    if (!provider) return payload;
    log.append({
      provider,
      method: request.method,
      path: request.url.split('?')[0],
      route: request.routeOptions.url ?? null,
      query: withoutToken(request.query),
      status: reply.statusCode,
      idempotencyKey: idempotencyKey ?? headerValue(request.headers['idempotency-key']),
      replayed,
      fault,
      body: request.body ?? null,
    });
    return payload;
  });
}

/** The Graph API accepts `access_token` in the query: never keep it. */
function withoutToken(query: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ ...(query as Record<string, unknown> | undefined) }).filter(([key]) => key !== 'access_token'));
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
