import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { Redis } from 'ioredis';
import { parseRedisUrl } from './redis-url';

/**
 * What a connection is for. Workers block on Redis and must retry forever
 * (`maxRetriesPerRequest: null`, as BullMQ requires); producers (queues, the relay) fail a
 * command after a few retries so the outbox row stays unpublished and is tried again.
 */
export type RedisRole = 'worker' | 'producer';

/**
 * The one place Redis connections are made. Each role has one shared connection per process;
 * BullMQ duplicates the worker connection for its blocking reads. Closed last on shutdown.
 */
@Injectable()
export class RedisConnections {
  private readonly logger = new Logger(RedisConnections.name);
  private readonly connections = new Map<RedisRole, Redis>();

  constructor(private readonly config: AppConfig) {}

  get(role: RedisRole): Redis {
    let connection = this.connections.get(role);
    if (!connection) {
      connection = createRedisConnection(this.config.redis.url, role);
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

export function createRedisConnection(url: string, role: RedisRole): Redis {
  return new Redis({
    ...parseRedisUrl(url),
    connectionName: `numbers:${role}`,
    maxRetriesPerRequest: role === 'worker' ? null : 3,
  });
}
