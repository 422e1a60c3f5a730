import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppMetrics, Readiness, withLogContext } from '@numbers/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { QueueBoard } from '../admin/queue-board';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { limitRequestBodies, UNAUTHENTICATED_BODY_LIMIT } from '../http/body-limits';
import { clientErrorHandler, frameworkErrors } from '../http/fastify-errors';
import { genReqId, REQUEST_ID_HEADER } from '../http/request-id';
import { requestLogContext } from '../logging/request-log-context';
import { recordHttpMetrics } from '../metrics/http-metrics.hook';
import { setupOpenApi } from '../openapi/openapi';

/** Bodies at least this long are sent as one UTF-8 buffer (see the onSend hook). */
const LARGE_BODY_CHARS = 16 * 1024;

/**
 * Fastify as the gateway runs it: request ids from `X-Request-Id` (when sane) or a UUID; errors
 * of its router and of Node's HTTP parser in the API's shape; the unauthenticated body limit
 * by default (routes get theirs in `configureGateway`). A request that arrives on an open
 * connection while the gateway stops is served (the pool is still open then: GracefulShutdown),
 * not refused with Fastify's own bare 503.
 */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({ genReqId, logger: false, bodyLimit: UNAUTHENTICATED_BODY_LIMIT, frameworkErrors, clientErrorHandler, return503OnClosing: false });
}

/**
 * Everything the gateway needs around its modules, shared by main.ts and the tests: the pino
 * logger, the request-id header on every response (errors and unknown routes included), the
 * request id and number id on every line logged while answering (`requestLogContext`),
 * `Connection: close` on every response once the gateway is stopping (a kept-alive connection
 * would otherwise hold the drain open until its idle timeout), the body limits of each route
 * (http/body-limits.ts), request durations into the metrics, the queue dashboard when ADMIN_TOKEN
 * is set (admin/queue-board.ts) and OpenAPI. Errors Fastify raises while handling a request (body
 * parsing, limits) reach ApiExceptionFilter through Nest's error handler. Call before
 * `init()`/`listen()`.
 */
export function configureGateway(app: NestFastifyApplication): NestFastifyApplication {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  limitRequestBodies(fastify, app.get(ApiKeyAuthenticator));
  recordHttpMetrics(fastify, app.get(AppMetrics));
  const readiness = app.get(Readiness);
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    // The rest of the request runs inside: Fastify keeps the async context across body parsing.
    withLogContext(requestLogContext(request.id, request.routeOptions.url, request.params), done);
  });
  fastify.addHook('onSend', (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    if (!readiness.ready) reply.header('connection', 'close');
    // A large JSON body encoded once: left a string, Fastify measures its UTF-8 length and the
    // socket write encodes it again (about 1 ms each for a 500-number list, measured).
    done(null, typeof payload === 'string' && payload.length >= LARGE_BODY_CHARS ? Buffer.from(payload) : payload);
  });
  app.get(QueueBoard).mount(fastify);
  setupOpenApi(app);
  return app;
}
