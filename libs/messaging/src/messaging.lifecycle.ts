import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { QueueRegistry } from './queues/queue-registry';
import { RedisConnections } from './redis/redis-connections';

/**
 * Closes the shared Redis resources last. Nest calls `onModuleDestroy` first (the relay stops,
 * the workers finish their active jobs), then `onApplicationShutdown`: queues, then connections.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly redis: RedisConnections,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queues.closeAll();
    await this.redis.closeAll();
  }
}
