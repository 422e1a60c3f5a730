import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { TerminusModule } from '@nestjs/terminus';
import { QUEUES, type WorkerApp } from '@numbers/contracts';
import { DatabaseHealthRepository, FailedJobRepository, OutboxRelayRepository, RecordPruningRepository } from '@numbers/persistence';
import { EventPublisher } from './events/event-publisher';
import { JobHandlerRegistry } from './handlers/job-handler-registry';
import { DatabaseHealthIndicator, RedisHealthIndicator } from './health/dependency-health.indicators';
import { Readiness } from './health/readiness';
import { WorkerHealthChecks } from './health/worker-health-checks';
import { OutboxLagHealthIndicator, QueueWorkersHealthIndicator } from './health/worker-health.indicators';
import { MessagingLifecycle } from './messaging.lifecycle';
import { MetricsModule } from './metrics/metrics.module';
import { OutboxLagMetrics, QueueDepthMetrics } from './metrics/worker-metrics.collectors';
import { OutboxRelay } from './outbox/outbox-relay';
import { QueueRegistry } from './queues/queue-registry';
import { InFlightLimiter } from './redis/in-flight-limiter';
import { JobOutcomes, recoveryHandlersOf } from './recovery';
import { RedisConnections } from './redis/redis-connections';
import { TracingShutdown } from './tracing/tracing-shutdown';
import { RequestRedisModule } from './redis/request-redis.module';
import { WorkerHttpServer } from './worker-app/worker-http.server';
import { MESSAGING_OPTIONS, type MessagingOptions } from './workers/messaging-options';
import { WorkerRunner } from './workers/worker-runner';

/**
 * A worker's metrics and health (its own HTTP listener, started by `bootstrapWorker`): queue depth
 * and outbox lag read on scrape; readiness over PostgreSQL, Redis (a fail-fast connection of its
 * own), its BullMQ workers and the outbox lag.
 */
const workerOperations = [
  DatabaseHealthRepository,
  DatabaseHealthIndicator,
  RedisHealthIndicator,
  QueueWorkersHealthIndicator,
  OutboxLagHealthIndicator,
  Readiness,
  WorkerHealthChecks,
  WorkerHttpServer,
  QueueDepthMetrics,
  OutboxLagMetrics,
];

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
 *   handlers of the library's own recovery jobs that app's queues carry (`recovery/`), and the
 *   worker's metrics and health (`WorkerHttpServer`).
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
      TracingShutdown,
      ...queueProviders,
      // The library's own jobs (re-driving failed work, finding work Redis lost), in the app that owns their queue.
      ...(options.app ? recoveryHandlersOf(options.app) : []),
      ...(options.app ? workerOperations : []),
    ];
    return {
      module: MessagingModule,
      imports: [DiscoveryModule, MetricsModule, ...(options.app ? [TerminusModule.forRoot({ errorLogStyle: 'json' }), RequestRedisModule] : [])],
      providers,
      exports: [
        RedisConnections,
        InFlightLimiter,
        QueueRegistry,
        EventPublisher,
        OutboxRelay,
        JobHandlerRegistry,
        WorkerRunner,
        ...(options.app ? [WorkerHttpServer] : []),
        ...queueProviders.map((p) => p.provide),
      ],
    };
  }
}
