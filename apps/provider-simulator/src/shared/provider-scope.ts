import type { FastifyError, FastifyInstance } from 'fastify';
import type { IdempotencyStore } from '../state/idempotency.store';
import { stableJson } from './stable-json';
import type { ProviderDialect } from './provider-dialect';
import { ProviderReplyError } from './provider-reply';

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Makes an encapsulated Fastify context speak one provider's dialect: credentials checked,
 * `Idempotency-Key` honoured (when the provider does), unknown routes and failures answered in
 * the provider's error shape. Call it first inside the provider's plugin.
 */
export function applyProviderScope(app: FastifyInstance, dialect: ProviderDialect, idempotency: IdempotencyStore): void {
  app.addHook('onRequest', async (request, reply) => {
    if (dialect.isAuthorized(request)) return;
    const { status, body } = dialect.unauthorized();
    return reply.code(status).send(body);
  });

  if (dialect.honoursIdempotencyKeys) applyIdempotency(app, dialect, idempotency);

  app.setNotFoundHandler((request, reply) => {
    const { status, body } = dialect.unknownRoute(request.method, request.url);
    return reply.code(status).send(body);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProviderReplyError) return reply.code(error.reply.status).send(error.reply.body);
    const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
    if (!clientError) request.log.error({ err: error }, `${dialect.provider} handler failed`);
    const { status, body } = clientError ? dialect.malformedRequest(error.message) : dialect.internalError();
    return reply.code(status).send(body);
  });
}

/**
 * Same key and same request: the stored response is replayed (`Idempotent-Replayed: true`).
 * Same key, other request: the provider's idempotency error. A 5xx is not stored, so a retry
 * after a failure runs again, as Stripe does for requests that never reached its API.
 */
function applyIdempotency(app: FastifyInstance, dialect: ProviderDialect, store: IdempotencyStore): void {
  const scope = dialect.provider;

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !MUTATING_METHODS.has(request.method)) return;
    request.sim.idempotencyKey = key;
    const fingerprint = `${request.method} ${request.url.split('?')[0]} ${stableJson(request.body ?? null)}`;
    const decision = store.begin(scope, key, fingerprint);
    switch (decision.kind) {
      case 'new':
        request.sim.idempotencyClaim = { scope, key };
        return;
      case 'replay':
        request.sim.replayed = true;
        return reply
          .code(decision.status)
          .header('content-type', 'application/json; charset=utf-8')
          .header('idempotent-replayed', 'true')
          .send(decision.body);
      case 'mismatch': {
        const { status, body } = dialect.idempotencyMismatch(key);
        return reply.code(status).send(body);
      }
      case 'in_progress': {
        const { status, body } = dialect.idempotencyInProgress(key);
        return reply.code(status).send(body);
      }
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.sim.idempotencyClaim;
    if (!claim) return payload;
    request.sim.idempotencyClaim = null;
    if (reply.statusCode < 500 && typeof payload === 'string') store.complete(claim.scope, claim.key, reply.statusCode, payload);
    else store.abandon(claim.scope, claim.key);
    return payload;
  });
}
