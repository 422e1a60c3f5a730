import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorKind } from '@numbers/domain';
import { ZodError } from 'zod';

/** The one error body of the public API (SPEC "Errors and headers"). */
export interface ApiErrorBody {
  error: string;
  code?: string;
  type?: string;
  param?: string;
  details?: unknown;
}

export interface ApiErrorResponse {
  status: number;
  body: ApiErrorBody;
  /** Our own fault: log it with its stack. */
  unexpected: boolean;
}

/** Every 503 tells the client when to try again (SPEC: 5xx only for our own faults; a 503 is a pause, not one). */
export const RETRY_AFTER_SECONDS = 1;

export const UNAVAILABLE_BODY: ApiErrorBody = { error: 'Service temporarily unavailable: retry shortly', code: 'SERVICE_UNAVAILABLE' };

// PostgreSQL's connection exceptions (class 08) and its shutdown states: the server is going or not back yet.
const UNREACHABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const UNREACHABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
// What pg's pool and ioredis (a single Redis or a Cluster) say when the server is out of reach (they give no code).
const UNREACHABLE_MESSAGES = [/^Connection terminated/, /^Client has encountered a connection error/, /^timeout exceeded when trying to connect/, /^Connection is closed/, /^Reached the max retries per request limit/, /enableOfflineQueue options is false/, /^None of startup nodes is available/, /^Failed to refresh slots cache/, /^Too many Cluster redirections/];

/**
 * PostgreSQL or Redis out of reach for a moment (restarting, failing over, a dropped
 * connection): the request did nothing that lasts and may be retried, so it is a 503, not a 500.
 */
export function isDependencyUnavailable(exception: unknown): boolean {
  if (!(exception instanceof Error)) return false;
  const code = (exception as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_SOCKET_CODES.has(code) || UNREACHABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return exception.name === 'MaxRetriesPerRequestError' || UNREACHABLE_MESSAGES.some((pattern) => pattern.test(exception.message));
}

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  payment_required: HttpStatus.PAYMENT_REQUIRED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export const UNAUTHORIZED_BODY: ApiErrorBody = { error: 'Unauthorized' };
export const INTERNAL_ERROR_BODY: ApiErrorBody = { error: 'Internal server error', code: 'INTERNAL' };

/** The code of a client error raised by Nest, Fastify or Node's HTTP parser (any other 4xx: REQUEST_FAILED). */
const CODE_OF_STATUS: Partial<Record<number, string>> = {
  400: 'VALIDATION_FAILED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

const MESSAGE_OF_STATUS: Partial<Record<number, string>> = {
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  413: 'Request body too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  431: 'Request header fields too large',
};

function fromDomainError(error: DomainError): ApiErrorResponse {
  const status = STATUS_OF_KIND[error.kind];
  // SPEC: a missing, malformed, revoked or unknown key gets exactly {"error":"Unauthorized"}.
  if (error.kind === 'unauthorized') return { status, body: { ...UNAUTHORIZED_BODY }, unexpected: false };
  const body: ApiErrorBody = { error: error.message, code: error.code };
  if (error.extra.param !== undefined) body.param = error.extra.param;
  if (error.extra.details !== undefined) body.details = error.extra.details;
  return { status, body, unexpected: false };
}

function fromZodError(error: ZodError): ApiErrorResponse {
  const issue = error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const body: ApiErrorBody = {
    error: param ? `Invalid ${param}: ${issue.message}` : `Invalid request: ${issue?.message ?? 'validation failed'}`,
    code: 'VALIDATION_FAILED',
  };
  if (param) body.param = param;
  return { status: HttpStatus.BAD_REQUEST, body, unexpected: false };
}

/** A client-side HTTP error raised by Nest or Fastify (unknown route, bad JSON, body too large...). */
function fromHttpStatus(status: number, message: string | undefined): ApiErrorResponse {
  if (status === HttpStatus.UNAUTHORIZED) return { status, body: { ...UNAUTHORIZED_BODY }, unexpected: false };
  const body: ApiErrorBody = { error: MESSAGE_OF_STATUS[status] ?? message ?? 'Request failed', code: CODE_OF_STATUS[status] ?? 'REQUEST_FAILED' };
  return { status, body, unexpected: false };
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Maps anything thrown while answering a request to one status and body. Client errors keep
 * their message; PostgreSQL or Redis out of reach is a 503; anything else is a 500 with a fixed body (the caller never sees a stack or a
 * provider's raw error).
 */
export function toApiError(exception: unknown): ApiErrorResponse {
  if (exception instanceof DomainError) return fromDomainError(exception);
  if (exception instanceof ZodError) return fromZodError(exception);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 400 && status < 500) return fromHttpStatus(status, httpExceptionMessage(exception));
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { ...INTERNAL_ERROR_BODY }, unexpected: true };
  }
  // Fastify's own errors (router, content-type parser, body limit) carry a 4xx statusCode.
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return fromHttpStatus(statusCode, (exception as Error).message);
  }
  if (isDependencyUnavailable(exception)) return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { ...UNAVAILABLE_BODY }, unexpected: false };
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { ...INTERNAL_ERROR_BODY }, unexpected: true };
}
