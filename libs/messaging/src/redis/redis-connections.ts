import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { createRedisClient, type RedisClient, type RedisRole } from './redis-client';

/** The roles of the shared connections of messaging: BullMQ workers, and producers (queues, the relay). */
export type MessagingRedisRole = Extract<RedisRole, 'worker' | 'producer'>;

/**
 * The shared connections of messaging: one per role per process, to a server or a cluster
 * (createRedisClient); BullMQ duplicates the worker connection for its blocking reads. Closed
 * last on shutdown.
 */
@Injectable()
export class RedisConnections {
  private readonly logger = new Logger(RedisConnections.name);
  private readonly connections = new Map<MessagingRedisRole, RedisClient>();

  constructor(private readonly config: AppConfig) {}

  get(role: MessagingRedisRole): RedisClient {
    let connection = this.connections.get(role);
    if (!connection) {
      connection = createRedisClient(this.config.redis.target, role);
      connection.on('error', (error: Error) => this.logger.warn(`redis (${role}): ${error.message}`));
      this.connections.set(role, connection);
    }
    return connection;
  }

  async closeAll(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
