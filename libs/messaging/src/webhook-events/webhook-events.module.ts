import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { WorkerApp } from '@numbers/contracts';
import { WebhookEventRepository } from '@numbers/persistence';
import { WEBHOOK_EVENTS_OPTIONS, WebhookEventHandlerRegistry } from './webhook-event-handler-registry';
import { WebhookEventProcessor } from './webhook-event-processor';

/**
 * Processing of stored webhook events in a worker: `WebhookEventProcessor` (what each
 * `process-*-event` job handler calls) and the registry of the app's `@WebhookEventHandler`
 * classes, checked at boot. Needs `ConfigModule` and `PersistenceModule` (both global).
 */
@Module({})
export class WebhookEventsModule {
  static forWorker(app: WorkerApp): DynamicModule {
    return {
      module: WebhookEventsModule,
      imports: [DiscoveryModule],
      providers: [{ provide: WEBHOOK_EVENTS_OPTIONS, useValue: { app } }, WebhookEventRepository, WebhookEventHandlerRegistry, WebhookEventProcessor],
      exports: [WebhookEventProcessor, WebhookEventHandlerRegistry],
    };
  }
}
