import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loggableUrl } from '../logging/logger.options';
import { REQUEST_ID_HEADER } from './request-id';
import { RETRY_AFTER_SECONDS, toApiError } from './api-error';

/**
 * The gateway's one exception filter: every error leaves in the shape of SPEC "Errors and
 * headers", with the request id; our own faults are logged with their stack, never returned.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendApiError(exception, request, reply, this.logger);
  }
}

export function sendApiError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error'>,
): void {
  const { status, body, unexpected } = toApiError(exception);
  if (unexpected) {
    const error = exception instanceof Error ? exception : new Error(String(exception));
    logger.error({ reqId: request.id, method: request.method, url: loggableUrl(request.url), err: error }, 'Unhandled error answering a request');
  }
  if (reply.sent) return;
  if (status === 503) reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
  reply.header(REQUEST_ID_HEADER, request.id).status(status).send(body);
}
