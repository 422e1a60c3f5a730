import { BadRequestException, HttpException, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { DomainError, ERROR_CODES, type ErrorCode } from '@numbers/domain';
import { z } from 'zod';
import { STATUS_OF_KIND, isDependencyUnavailable, toApiError } from './api-error';
import { genReqId, requestIdFor } from './request-id';

describe('toApiError', () => {
  it('maps every domain error kind to its one status, with the code and the message', () => {
    expect(STATUS_OF_KIND).toEqual({
      invalid: 400,
      unauthorized: 401,
      payment_required: 402,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      unprocessable: 422,
      rate_limited: 429,
      unavailable: 503,
    });
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const { status, body, unexpected } = toApiError(new DomainError(code, `failed: ${code}`));
      expect(status).toBe(STATUS_OF_KIND[ERROR_CODES[code]]);
      expect(unexpected).toBe(false);
      if (ERROR_CODES[code] !== 'unauthorized') expect(body).toEqual({ error: `failed: ${code}`, code });
    }
  });

  it('answers exactly {"error":"Unauthorized"} for an unauthorized caller', () => {
    expect(toApiError(new DomainError('UNAUTHORIZED', 'key revoked'))).toEqual({ status: 401, body: { error: 'Unauthorized' }, unexpected: false });
  });

  it('keeps param and details of a domain error', () => {
    const error = new DomainError('VALIDATION_FAILED', 'Unknown plan', { param: 'planCode', details: { allowed: ['free'] } });
    expect(toApiError(error).body).toEqual({ error: 'Unknown plan', code: 'VALIDATION_FAILED', param: 'planCode', details: { allowed: ['free'] } });
  });

  it('turns a zod failure into a 400 naming the field', () => {
    const schema = z.object({ status: z.enum(['active']), nested: z.object({ id: z.string() }) });
    const failure = schema.safeParse({ status: 'nope', nested: { id: 'x' } });
    expect(failure.success).toBe(false);
    const { status, body } = toApiError(!failure.success && failure.error);
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED', param: 'status' });
    expect(body.error).toMatch(/^Invalid status: /);
    const nested = schema.safeParse({ status: 'active', nested: {} });
    expect(toApiError(!nested.success && nested.error).body.param).toBe('nested.id');
  });

  it('maps Nest and Fastify client errors to the same shape', () => {
    expect(toApiError(new NotFoundException('Cannot GET /v1/nope'))).toEqual({
      status: 404,
      body: { error: 'Not found', code: 'NOT_FOUND' },
      unexpected: false,
    });
    expect(toApiError(new BadRequestException('Body is not valid JSON')).body).toEqual({
      error: 'Body is not valid JSON',
      code: 'VALIDATION_FAILED',
    });
    expect(toApiError(new HttpException('Unauthorized', 401)).body).toEqual({ error: 'Unauthorized' });
    const fastifyError = Object.assign(new Error("Unsupported Media Type: text/xml"), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(toApiError(fastifyError)).toEqual({ status: 415, body: { error: 'Unsupported media type', code: 'UNSUPPORTED_MEDIA_TYPE' }, unexpected: false });
    // Every client error has a code, the 401 excepted (SPEC: exactly {"error":"Unauthorized"}).
    for (const [statusCode, code] of [[405, 'METHOD_NOT_ALLOWED'], [408, 'REQUEST_TIMEOUT'], [413, 'PAYLOAD_TOO_LARGE'], [414, 'URI_TOO_LONG'], [431, 'HEADERS_TOO_LARGE'], [418, 'REQUEST_FAILED']] as const) {
      expect(toApiError({ statusCode, message: 'x' }).body.code).toBe(code);
    }
  });

  it('hides everything else behind a 500 INTERNAL, flagged for the log', () => {
    for (const thrown of [new Error('db password is hunter2'), new InternalServerErrorException('x'), 'a string', null]) {
      expect(toApiError(thrown)).toEqual({
        status: 500,
        body: { error: 'Internal server error', code: 'INTERNAL' },
        unexpected: true,
      });
    }
  });
});

describe('PostgreSQL or Redis out of reach', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  it('is a 503 SERVICE_UNAVAILABLE, not our fault: refused, reset, terminated, shutting down, pool timeout, Redis closed', () => {
    const unreachable = [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('timeout exceeded when trying to connect'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('connection failure', '08006'),
      new Error('Connection is closed.'),
      Object.assign(new Error('Reached the max retries per request limit (which is 20).'), { name: 'MaxRetriesPerRequestError' }),
      new Error('None of startup nodes is available'),
      Object.assign(new Error('Failed to refresh slots cache.'), { name: 'ClusterAllFailedError' }),
      new Error("Cluster isn't ready and enableOfflineQueue options is false"),
    ];
    for (const error of unreachable) {
      expect(toApiError(error)).toEqual({ status: 503, body: { error: 'Service temporarily unavailable: retry shortly', code: 'SERVICE_UNAVAILABLE' }, unexpected: false });
      expect(isDependencyUnavailable(error)).toBe(true);
    }
  });

  it('leaves other errors, and SQL errors of our own, a 500', () => {
    for (const error of [new Error('boom'), withCode('duplicate key value violates unique constraint', '23505'), withCode('syntax error', '42601')]) {
      expect(toApiError(error).status).toBe(500);
    }
  });
});

describe('request ids', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('keeps a sane incoming X-Request-Id', () => {
    for (const id of ['abc-123', 'req_01J9Z8', '3f2b1c9e-7a4d-4e8f-9b0a-123456789abc', 'a.b:c/d=e+f@g']) {
      expect(requestIdFor({ 'x-request-id': id })).toBe(id);
    }
  });

  it('replaces a missing, empty, oversized, repeated or unsafe one with a UUID', () => {
    for (const id of [undefined, '', 'x'.repeat(129), ['a', 'b'], 'has space', 'line\nbreak', '<script>', '-leading']) {
      expect(requestIdFor({ 'x-request-id': id as string | undefined })).toMatch(uuid);
    }
  });

  it('leaves the id on the raw request for the access log', () => {
    const req = { headers: { 'x-request-id': 'trace-1' } } as unknown as Parameters<typeof genReqId>[0];
    expect(genReqId(req)).toBe('trace-1');
    expect((req as unknown as { id: string }).id).toBe('trace-1');
  });
});
