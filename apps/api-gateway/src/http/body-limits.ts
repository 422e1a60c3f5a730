import { RouteConfig } from '@nestjs/platform-fastify';
import { DomainError } from '@numbers/domain';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import type { AuthenticatedRequest } from '../auth/authenticated-request';

/**
 * The most a request that has shown no valid API key may send: the 401 path, health, the docs,
 * unknown routes. Fastify's own limit; any body larger than this on a /v1 route is read only
 * once its key is known.
 */
export const UNAUTHENTICATED_BODY_LIMIT = 16 * 1024;

/** A /v1 JSON body of an authenticated caller (a KYC submission with inline documents is the largest). */
export const API_BODY_LIMIT = 1024 * 1024;

/** A provider's webhook: signed, not authenticated by a key; Meta batches changes. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

/** The routes of the keyed API; every other route is public (health, webhooks, checkout return, docs). */
const KEYED_ROUTE = /^\/v1\//;

/** A route's body limit, when it is not its default (API_BODY_LIMIT under /v1, UNAUTHENTICATED_BODY_LIMIT elsewhere). */
export const BodyLimit = (bytes: number) => RouteConfig({ bodyLimit: bytes });

function bodyLimitOf(route: RouteOptions): number {
  const configured = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
  if (typeof configured === 'number') return configured;
  return KEYED_ROUTE.test(route.url) ? API_BODY_LIMIT : UNAUTHENTICATED_BODY_LIMIT;
}

function payloadTooLarge(): Error {
  return Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
}

/**
 * Request body limits by route and caller (Fastify checks Content-Length before reading a byte,
 * and counts what it reads). Each route gets its limit when it is registered. A body larger than
 * UNAUTHENTICATED_BODY_LIMIT on a keyed route is read only once the API key is checked, before
 * parsing: without a valid key it is 413 (a body of unknown length, 401) and is never read. The
 * account found is left on the request for the API-key guard. Call before the routes are
 * registered (before `init()`).
 */
export function limitRequestBodies(fastify: FastifyInstance, authenticator: ApiKeyAuthenticator): void {
  fastify.addHook('onRoute', (route) => {
    route.bodyLimit = bodyLimitOf(route);
  });
  fastify.addHook('preParsing', async (request: FastifyRequest, _reply, payload) => {
    const limit = request.routeOptions.bodyLimit;
    if (request.method === 'GET' || request.method === 'HEAD' || limit <= UNAUTHENTICATED_BODY_LIMIT || !KEYED_ROUTE.test(request.routeOptions.url ?? '')) {
      return payload;
    }
    const declared = request.headers['content-length'] === undefined ? null : Number(request.headers['content-length']);
    if (declared === null && request.headers['transfer-encoding'] === undefined) return payload; // no body
    // Small enough for anyone, or over the route's own limit: Fastify answers as usual.
    if (declared !== null && (declared <= UNAUTHENTICATED_BODY_LIMIT || declared > limit)) return payload;
    const auth = await authenticator.authenticate(request.headers.authorization);
    if (!auth) throw declared === null ? new DomainError('UNAUTHORIZED', 'Unauthorized') : payloadTooLarge();
    (request as AuthenticatedRequest).auth = auth;
    return payload;
  });
}
