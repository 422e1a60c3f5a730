import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@numbers/domain';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { type RateLimitDecision, RedisRateLimiter } from '@numbers/messaging';

/**
 * Per API key: every authenticated response carries X-RateLimit-Limit/Remaining/Reset; over
 * the limit is 429 RATE_LIMITED with Retry-After. Runs after the API-key guard.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimitGuard');

  constructor(private readonly limiter: RedisRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    if (!request.auth) return true; // a public route
    const reply = http.getResponse<FastifyReply>();
    let decision: RateLimitDecision;
    try {
      decision = await this.limiter.hit(request.auth.apiKeyId);
    } catch (error) {
      // Fail open: a Redis outage (which /health reports) must not take the whole API down.
      this.logger.warn({ reqId: request.id, err: error }, 'Rate limit not checked: Redis unavailable');
      return true;
    }
    reply.header('X-RateLimit-Limit', String(decision.limit));
    reply.header('X-RateLimit-Remaining', String(decision.remaining));
    reply.header('X-RateLimit-Reset', String(decision.resetAt));
    if (!decision.allowed) {
      reply.header('Retry-After', String(decision.retryAfter));
      throw new DomainError('RATE_LIMITED', 'Rate limit exceeded: retry after the window resets');
    }
    return true;
  }
}
