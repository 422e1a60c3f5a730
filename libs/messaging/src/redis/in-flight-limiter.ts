import { Injectable } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { RedisClient } from './redis-client';
import { RedisConnections } from './redis-connections';

// Take a slot if fewer than the limit are taken: ARGV[1], or ARGV[3] while the subject is marked
// slow (KEYS[2] exists). The count expires after ARGV[2] ms without a taker, so slots a crashed
// process held come back on their own.
const ACQUIRE_SCRIPT = `
local limit = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then limit = tonumber(ARGV[3]) end
local count = redis.call('INCR', KEYS[1])
if count > limit then
  redis.call('DECR', KEYS[1])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

// Give the slot back; ARGV[1] > 0 marks the subject slow for that many ms.
const RELEASE_SCRIPT = `
if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
if tonumber(ARGV[1]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[1]) end
return 1
`;

type LimiterRedis = RedisClient & {
  inFlightAcquire(key: string, slowKey: string, limit: number, ttlMs: number, slowLimit: number): Promise<number>;
  inFlightRelease(key: string, slowKey: string, slowForMs: number): Promise<number>;
};

export interface InFlightLimits {
  /** The most at once while the subject is healthy. */
  limit: number;
  /** The most at once while it is marked slow. */
  slowLimit: number;
}

/**
 * How many units of work on one subject run at once across every process (a counter in Redis,
 * under the configured prefix), with a lower limit while the subject is marked slow: e.g.
 * deliveries to one customer endpoint, so a slow endpoint holds a few of the workers' slots,
 * never all of them, while a fast one may use them all.
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

  private slowKeyOf(subject: string): string {
    return `${this.config.redis.prefix}:slow:${subject}`;
  }

  /** Takes a slot of `subject` if fewer than its limit are taken; `ttlMs`: how long a slot may be held. */
  async acquire(subject: string, limits: InFlightLimits, ttlMs: number): Promise<boolean> {
    return (await this.redis().inFlightAcquire(this.keyOf(subject), this.slowKeyOf(subject), limits.limit, ttlMs, limits.slowLimit)) === 1;
  }

  /** Gives the slot back; `slowForMs` > 0 marks the subject slow for that long (its slow limit applies). */
  async release(subject: string, slowForMs = 0): Promise<void> {
    await this.redis().inFlightRelease(this.keyOf(subject), this.slowKeyOf(subject), slowForMs);
  }

  private redis(): LimiterRedis {
    if (!this.redisClient) {
      const redis = this.connections.get('producer');
      if (!('inFlightAcquire' in redis)) {
        redis.defineCommand('inFlightAcquire', { numberOfKeys: 2, lua: ACQUIRE_SCRIPT });
        redis.defineCommand('inFlightRelease', { numberOfKeys: 2, lua: RELEASE_SCRIPT });
      }
      this.redisClient = redis as LimiterRedis;
    }
    return this.redisClient;
  }
}
