import type { AppMetrics } from '@numbers/messaging';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Times every request the router handled into `numbers_http_request_duration_seconds`, labelled
 * by the route's template (`/v1/whatsapp/phone-numbers/:phoneNumberId`), never the URL, so ids
 * never become labels. An in-memory observe: nothing else on the request path.
 */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: AppMetrics): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.httpRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
