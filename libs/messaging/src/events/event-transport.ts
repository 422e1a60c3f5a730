import type { AppConfig, RedisTarget } from '@numbers/config';
import { ClientRedis, ServerRedis, type CustomStrategy } from '@nestjs/microservices';
import { createRedisClient, type RedisClient } from '../redis/redis-client';

/**
 * The Redis transport of @nestjs/microservices on connections of our factory. Nest's own builds
 * an ioredis `Redis` from host and port, so it cannot reach a Redis Cluster; these subclasses
 * change only where the connection comes from (a `Cluster` pub/sub works the same: a message
 * published on any node reaches subscribers on every node). Events are pub/sub news: a
 * subscriber that is down misses them, by design, and nothing that must happen rides on them.
 */
export class EventServer extends ServerRedis {
  constructor(private readonly target: RedisTarget) {
    super({});
  }

  override createRedisClient(): RedisClient {
    return createRedisClient(this.target, 'events');
  }
}

/** The publishing side (the outbox relay's `ClientProxy`), on connections of our factory. */
export class EventClient extends ClientRedis {
  constructor(private readonly target: RedisTarget) {
    super({});
  }

  override createClient(): RedisClient {
    return createRedisClient(this.target, 'events');
  }
}

/** A subscriber app's transport (`createMicroservice`): Nest's Redis transport on our connections. */
export function eventTransportOptions(config: AppConfig): CustomStrategy {
  return { strategy: new EventServer(config.redis.target) };
}
