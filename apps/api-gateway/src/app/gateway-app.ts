import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { genReqId, REQUEST_ID_HEADER } from '../http/request-id';
import { setupOpenApi } from '../openapi/openapi';

/** Fastify as the gateway runs it: request ids from `X-Request-Id` (when sane) or a UUID. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({ genReqId, logger: false, bodyLimit: 1_048_576 });
}

/**
 * Everything the gateway needs around its modules, shared by main.ts and the tests: the pino
 * logger, the request-id header on every response (errors and unknown routes included) and
 * OpenAPI. Errors Fastify raises itself (body parsing, limits) reach ApiExceptionFilter through
 * Nest's error handler. Call before `init()`/`listen()`.
 */
export function configureGateway(app: NestFastifyApplication): NestFastifyApplication {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  setupOpenApi(app);
  return app;
}
