import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from './redis-client';

/** The connection of the request path (the gateway's rate limits and health): it fails fast. */
export const REQUEST_REDIS = Symbol('REQUEST_REDIS');

/** Redis answers PING on the request path's connection (health checks). */
@Injectable()
export class RedisPing {
  constructor(@Inject(REQUEST_REDIS) private readonly redis: RedisClient) {}

  ping(): Promise<string> {
    return this.redis.ping();
  }
}
