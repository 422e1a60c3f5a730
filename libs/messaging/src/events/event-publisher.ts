import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { EventName, EventPayloads } from '@numbers/contracts';
import { lastValueFrom } from 'rxjs';
import { EventClient } from './event-transport';

/**
 * Publishes events (news) on the Redis transport of @nestjs/microservices (EventClient: to a
 * server or a cluster). Only the outbox relay calls it: use cases write events to the outbox in
 * their transaction.
 */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private client?: EventClient;

  constructor(private readonly config: AppConfig) {}

  async publish<K extends EventName>(name: K, payload: EventPayloads[K]): Promise<void> {
    await lastValueFrom(this.proxy().emit(name, payload), { defaultValue: undefined });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private proxy(): EventClient {
    this.client ??= new EventClient(this.config.redis.target);
    return this.client;
  }
}
