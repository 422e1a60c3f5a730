import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { WorkerApp } from '@numbers/contracts';
import { WebhookEventRepository } from '@numbers/persistence';
import { WEBHOOK_EVENTS_OPTIONS, WebhookEventHandlerRegistry } from './webhook-event-handler-registry';
import { processWebhookEventHandlers } from './process-webhook-event.handlers';
import { WebhookEventProcessor } from './webhook-event-processor';

/**
 * Processing of stored webhook events in a worker: the handlers of the `process-*-event` jobs of
 * the queues the app owns, `WebhookEventProcessor` (which they call), and the registry of the
 * app's `@WebhookEventHandler` classes, checked at boot. Needs `ConfigModule` and
 * `PersistenceModule` (both global).
 */
@Module({})
export class WebhookEventsModule {
  static forWorker(app: WorkerApp): DynamicModule {
    return {
      module: WebhookEventsModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: WEBHOOK_EVENTS_OPTIONS, useValue: { app } },
        WebhookEventRepository,
        WebhookEventHandlerRegistry,
        WebhookEventProcessor,
        ...processWebhookEventHandlers(app),
      ],
      exports: [WebhookEventProcessor, WebhookEventHandlerRegistry],
    };
  }
}
