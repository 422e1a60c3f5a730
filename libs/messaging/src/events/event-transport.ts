import type { AppConfig } from '@numbers/config';
import { Transport, type RedisOptions } from '@nestjs/microservices';
import { parseRedisUrl } from '../redis/redis-url';

/**
 * The Redis transport of @nestjs/microservices, for both sides: the relay's `ClientProxy`
 * (publisher) and a subscriber app's `createMicroservice`. Reconnects forever, one second apart.
 * Events are pub/sub news: a subscriber that is down misses them, by design.
 */
export function eventTransportOptions(config: AppConfig): RedisOptions {
  return {
    transport: Transport.REDIS,
    options: { ...parseRedisUrl(config.redis.url), retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 1000 },
  };
}
