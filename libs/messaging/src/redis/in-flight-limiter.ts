import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { Redis } from 'ioredis';
import { RedisConnections } from './redis-connections';

// Take a slot if fewer than ARGV[1] are taken; the count expires after ARGV[2] ms without a
// taker, so slots a crashed process held come back on their own.
const ACQUIRE_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

const RELEASE_SCRIPT = `
if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
return 1
`;

type LimiterRedis = Redis & {
  inFlightAcquire(key: string, limit: number, ttlMs: number): Promise<number>;
  inFlightRelease(key: string): Promise<number>;
};

/**
 * How many units of work on one subject run at once across every process (a counter in Redis,
 * under the configured prefix): e.g. deliveries to one customer endpoint, so a slow endpoint
 * holds a few of the workers' slots, never all of them.
 */
@Injectable()
export class InFlightLimiter {
  private redisClient: LimiterRedis | undefined;

  constructor(
    private readonly connections: RedisConnections,
    private readonly config: AppConfig,
  ) {}

  keyOf(subject: string): string {
    return `${this.config.redis.prefix}:inflight:${subject}`;
  }

  /** Takes a slot of `subject` if fewer than `limit` are taken; `ttlMs`: how long a slot may be held. */
  async acquire(subject: string, limit: number, ttlMs: number): Promise<boolean> {
    return (await this.redis().inFlightAcquire(this.keyOf(subject), limit, ttlMs)) === 1;
  }

  async release(subject: string): Promise<void> {
    await this.redis().inFlightRelease(this.keyOf(subject));
  }

  private redis(): LimiterRedis {
    if (!this.redisClient) {
      const redis = this.connections.get('producer');
      if (!('inFlightAcquire' in redis)) {
        redis.defineCommand('inFlightAcquire', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
        redis.defineCommand('inFlightRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
      }
      this.redisClient = redis as LimiterRedis;
    }
    return this.redisClient;
  }
}
