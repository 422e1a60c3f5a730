import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES, type WorkerApp } from '@numbers/contracts';
import { FailedJobRepository, OutboxRelayRepository, RecordPruningRepository } from '@numbers/persistence';
import { EventPublisher } from './events/event-publisher';
import { JobHandlerRegistry } from './handlers/job-handler-registry';
import { MessagingLifecycle } from './messaging.lifecycle';
import { OutboxRelay } from './outbox/outbox-relay';
import { QueueRegistry } from './queues/queue-registry';
import { InFlightLimiter } from './redis/in-flight-limiter';
import { JobOutcomes, recoveryHandlersOf } from './recovery';
import { RedisConnections } from './redis/redis-connections';
import { MESSAGING_OPTIONS, type MessagingOptions } from './workers/messaging-options';
import { WorkerRunner } from './workers/worker-runner';

/** Each queue is also injectable with `@InjectQueue(name)` of @nestjs/bullmq (bull-board uses it). */
const queueProviders = QUEUES.map((name) => ({
  provide: getQueueToken(name),
  inject: [QueueRegistry],
  useFactory: (queues: QueueRegistry) => queues.get(name),
}));

/**
 * BullMQ and the event bus for a Numbers process. Needs `ConfigModule` and `PersistenceModule`
 * (both global) imported by the app.
 *
 * - `forWorker('provisioning-worker')`: the workers of the queues that app owns (refusing to
 *   boot when a job lacks its one handler), the outbox relay, the event publisher, and the
 *   handlers of the library's own recovery jobs that app's queues carry (`recovery/`).
 * - `forProducer()`: queues and the event publisher only (no workers, no relay): for the
 *   gateway's dashboards, scripts and tests.
 */
@Module({})
export class MessagingModule {
  static forWorker(app: WorkerApp, overrides: Partial<Omit<MessagingOptions, 'app'>> = {}): DynamicModule {
    return MessagingModule.create({ app, relay: true, ...overrides });
  }

  static forProducer(): DynamicModule {
    return MessagingModule.create({ relay: false });
  }

  private static create(options: MessagingOptions): DynamicModule {
    const providers = [
      { provide: MESSAGING_OPTIONS, useValue: options },
      RedisConnections,
      InFlightLimiter,
      QueueRegistry,
      EventPublisher,
      OutboxRelayRepository,
      OutboxRelay,
      FailedJobRepository,
      RecordPruningRepository,
      JobOutcomes,
      JobHandlerRegistry,
      WorkerRunner,
      MessagingLifecycle,
      ...queueProviders,
      // The library's own jobs (re-driving failed work, finding work Redis lost), in the app that owns their queue.
      ...(options.app ? recoveryHandlersOf(options.app) : []),
    ];
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers,
      exports: [
        RedisConnections,
        InFlightLimiter,
        QueueRegistry,
        EventPublisher,
        OutboxRelay,
        JobHandlerRegistry,
        WorkerRunner,
        ...queueProviders.map((p) => p.provide),
      ],
    };
  }
}
