import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is kept when it is short and made of safe characters (no log or header injection).
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

/** The caller's `X-Request-Id` when it is sane, else a new UUID. */
export function requestIdFor(headers: IncomingMessage['headers']): string {
  const incoming = headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Fastify's `genReqId`. The id is also left on the raw request, where pino-http (nestjs-pino)
 * reads `req.id`, so the access log and the app logs carry the same id as the response header.
 */
export function genReqId(req: IncomingMessage): string {
  const id = requestIdFor(req.headers);
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}
