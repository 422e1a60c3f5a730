import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { QUEUES, type QueueName } from '@numbers/contracts';
import { Queue } from 'bullmq';
import { RedisConnections } from '../redis/redis-connections';
import { queueTelemetry } from './queue-telemetry';

/**
 * One BullMQ `Queue` per name in `QUEUES`, every key under `config.redis.prefix` (a Redis
 * Cluster hash tag, so all of a queue's keys live in one slot). Producers only: jobs are
 * enqueued by the outbox relay, never directly by use cases.
 */
@Injectable()
export class QueueRegistry {
  private readonly logger = new Logger(QueueRegistry.name);
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      if (!QUEUES.includes(name)) throw new Error(`unknown queue ${name}`);
      queue = new Queue(name, { connection: this.redis.get('producer'), prefix: this.config.redis.prefix, telemetry: queueTelemetry(this.config) });
      queue.on('error', (error: Error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): Queue[] {
    return QUEUES.map((name) => this.get(name));
  }

  async closeAll(): Promise<void> {
    const open = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(open.map((q) => q.close()));
  }
}
