import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { RedisClient } from './redis-client';
import { REQUEST_REDIS } from './request-redis';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends, in Unix seconds (what `X-RateLimit-Reset` carries). */
  resetAt: number;
  /** Seconds until then, at least 1 (for `Retry-After`). */
  retryAfter: number;
}

// A fixed window per key, atomic in Redis: count the hit, start the window's clock on the first
// one, report the count and the time left. Every gateway replica shares the same counter.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

const WINDOW_MS = 60_000;

type RedisWithHit = RedisClient & { rateLimitHit(key: string, windowMs: number): Promise<[number, number]> };

@Injectable()
export class RedisRateLimiter {
  private readonly redis: RedisWithHit;

  constructor(
    @Inject(REQUEST_REDIS) redis: RedisClient,
    private readonly config: AppConfig,
  ) {
    if (!('rateLimitHit' in redis)) redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis = redis as RedisWithHit;
  }

  /** The Redis key of a subject's counter, under the configured prefix (a cluster hash tag). */
  keyOf(subject: string): string {
    return `${this.config.redis.prefix}:ratelimit:${subject}`;
  }

  async hit(subject: string, now: number = Date.now()): Promise<RateLimitDecision> {
    const limit = this.config.gateway.rateLimitPerMinute;
    const [count, ttl] = await this.redis.rateLimitHit(this.keyOf(subject), WINDOW_MS);
    const msLeft = Math.max(0, Number(ttl));
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetAt: Math.ceil((now + msLeft) / 1000),
      retryAfter: Math.max(1, Math.ceil(msLeft / 1000)),
    };
  }
}
