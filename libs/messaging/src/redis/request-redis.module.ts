import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { QueueWait } from '../queues/queue-wait';
import { RedisRateLimiter } from './redis-rate-limiter';
import { closeRedisClient, createRedisClient, type RedisClient } from './redis-client';
import { REQUEST_REDIS, RedisPing } from './request-redis';

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REQUEST_REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    // QUIT needs a live connection; a client still (re)connecting is just closed.
    await closeRedisClient(this.redis);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REQUEST_REDIS,
      inject: [AppConfig],
      // A request must not hang on a Redis outage: the `request` role fails the command fast.
      useFactory: (config: AppConfig) => createRedisClient(config.redis.target, 'request'),
    },
    RedisLifecycle,
    RedisRateLimiter,
    RedisPing,
    QueueWait,
  ],
  exports: [RedisRateLimiter, RedisPing, QueueWait],
})
export class RequestRedisModule {}
