import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import {
  DomainError,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_TTL_MS,
  readIdempotencyKey,
  requestFingerprint,
} from '@numbers/domain';
import { IdempotencyRepository, type IdempotencyScope } from '@numbers/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from '../http/api-error';

/** What a use case answers: the status and the body, sent as they are and remembered. */
export interface Answer<T> {
  status: number;
  body: T;
}

/** Set on a response that is the replay of the first one. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * `Idempotency-Key` on a POST (SPEC "Calling"): the first request with a key runs and its answer
 * is remembered for a day; the same key with the same body replays that answer (status and
 * body, `Idempotent-Replayed: true`) without running anything; with another body it is 422
 * IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 IDEMPOTENCY_KEY_IN_FLIGHT.
 * Client errors (4xx) are remembered like successes; our own faults and 503s are not, so a
 * retry runs again. Without the header the request simply runs.
 *
 * The claim is renewed every third of IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS while the request runs, so
 * it outlives any request however slow its providers (a first purchase makes three Stripe calls of
 * up to 30 s a try); only a claim whose process died goes stale and is taken over.
 */
@Injectable()
export class IdempotentRequests {
  private readonly logger = new Logger(IdempotentRequests.name);
  private readonly inFlightTimeoutMs: number;

  constructor(
    private readonly records: IdempotencyRepository,
    config: AppConfig,
  ) {
    this.inFlightTimeoutMs = config.idempotency.inFlightTimeoutMs;
  }

  async respond(request: FastifyRequest, reply: FastifyReply, accountId: string, work: () => Promise<Answer<unknown>>): Promise<unknown> {
    const key = readIdempotencyKey(request.headers['idempotency-key']);
    if (key === undefined) return send(reply, await work());

    const scope: IdempotencyScope = { accountId, scope: `${request.method} ${request.routeOptions.url ?? request.url}`, key };
    const claim = await this.records.claim(scope, requestFingerprint(request.body), {
      ttlMs: IDEMPOTENCY_KEY_TTL_MS,
      inFlightTimeoutMs: this.inFlightTimeoutMs,
    });
    switch (claim.kind) {
      case 'mismatch':
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', `This ${IDEMPOTENCY_KEY_HEADER} was first used with another request body`, {
          param: IDEMPOTENCY_KEY_HEADER,
        });
      case 'in_flight':
        throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT', `The first request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed: retry shortly`, {
          param: IDEMPOTENCY_KEY_HEADER,
        });
      case 'completed':
        reply.header(REPLAYED_HEADER, 'true');
        return send(reply, { status: claim.statusCode, body: claim.responseBody });
      case 'claimed':
        break;
    }

    let answer: Answer<unknown>;
    const renewal = setInterval(() => {
      this.records.renew(scope).catch((error: Error) => this.logger.warn({ reqId: request.id, err: error }, 'could not renew an idempotency key claim'));
    }, this.inFlightTimeoutMs / 3);
    try {
      answer = await work();
    } catch (error) {
      const { status, body } = toApiError(error);
      if (status < 500) {
        await this.records.complete(scope, status, body);
      } else {
        await this.records.release(scope).catch((releaseError: Error) =>
          // The claim then stays in flight until it times out: retries get 409 meanwhile.
          this.logger.error({ reqId: request.id, err: releaseError }, 'could not release an idempotency key after a failure'),
        );
      }
      throw error;
    } finally {
      clearInterval(renewal);
    }
    await this.records.complete(scope, answer.status, answer.body);
    return send(reply, answer);
  }
}

function send<T>(reply: FastifyReply, answer: Answer<T>): T {
  reply.status(answer.status);
  return answer.body;
}
