import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { Redis } from 'ioredis';
import { RedisRateLimiter } from './redis-rate-limiter';
import { REQUEST_REDIS, RedisPing } from './request-redis';

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REQUEST_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    // QUIT needs a live connection; a client still (re)connecting is just closed.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REQUEST_REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new Redis(config.redis.url, {
          // A request must not hang on a Redis outage: fail the command and let the caller decide.
          commandTimeout: 1_000,
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
        }),
    },
    RedisLifecycle,
    RedisRateLimiter,
    RedisPing,
  ],
  exports: [RedisRateLimiter, RedisPing],
})
export class RequestRedisModule {}
