import type { AppConfig } from '@numbers/config';
import { errorWithoutRowValues, logContextMixin } from '@numbers/messaging';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { requestIdFor } from '../http/request-id';

/** Headers whose values never reach a log line (X-Filename: a KYC document's name is personal data). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["stripe-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["telnyx-signature-ed25519"]',
  'req.headers["x-filename"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.apiKey',
  '*.secret',
];

/**
 * A URL as logged: the path, and the names of its query parameters without their values (a query
 * can carry a secret, such as Meta's `hub.verify_token` in the webhook handshake).
 */
export function loggableUrl(url: string | undefined): string | undefined {
  const at = url?.indexOf('?') ?? -1;
  if (url === undefined || at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${url.slice(0, at)}?${names.join('&')}`;
}

/** The request as pino-http logs it (after its own serializer): no query values. */
function loggableRequest(req: { url?: string; query?: unknown }): object {
  return { ...req, url: loggableUrl(req.url), query: undefined };
}

/**
 * Structured JSON logs. Every line logged while answering a request (the access log and app
 * logs alike) carries the request as `req`, with its id as `req.id`, and never a query value, a
 * secret header or the row values of a database error. App logs also carry `reqId`, `numberId`
 * (a route about one number) and, when tracing is on, `traceId` and `spanId` (`logContextMixin`).
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      // Fastify's genReqId has already put the id on the raw request (see http/request-id.ts).
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? requestIdFor(req.headers),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { req: loggableRequest, err: errorWithoutRowValues },
      mixin: logContextMixin,
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}
