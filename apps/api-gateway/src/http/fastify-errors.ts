import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { sendApiError } from './api-exception.filter';
import { toApiError } from './api-error';
import { REQUEST_ID_HEADER } from './request-id';

const logger = new Logger('Fastify');

/**
 * Errors Fastify's router raises before a route is found (a URL that is not valid
 * percent-encoding, a path parameter over `maxParamLength`): without this hook Fastify writes its
 * own body, with no request id. Answered like every other error.
 */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  sendApiError(error, request, reply, logger);
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers or request line too
 * large, malformed HTTP, a client too slow): written straight to the socket, in the API's error
 * shape with a new request id, then the connection is closed.
 */
export const clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> = (error, socket: Socket) => {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const statusCode = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const { status, body } = toApiError({ statusCode, message: 'Malformed request' });
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
        `${REQUEST_ID_HEADER}: ${randomUUID()}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
};
