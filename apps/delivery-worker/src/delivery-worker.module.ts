import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, workerLoggerModule } from '@numbers/messaging';
import { PersistenceModule, WebhookDeliveryRepository, WebhookSecretSealer } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { DeliverWebhookHandler } from './delivery/deliver-webhook.handler';
import { PruneWebhookLogsHandler } from './delivery/prune-webhook-logs.handler';

/**
 * Webhooks to customers: the `deliveries` queue. The only process that talks to addresses our
 * customers choose, so it runs (and is fenced off the network) apart from the lifecycle workers,
 * with many deliveries at once (WEBHOOK_DELIVERY_CONCURRENCY): a slow endpoint holds one slot, not
 * a worker.
 */
@Module({
  imports: [ConfigModule, workerLoggerModule('delivery-worker'), PersistenceModule, ProvidersModule, MessagingModule.forWorker('delivery-worker')],
  providers: [WebhookDeliveryRepository, WebhookSecretSealer, DeliverWebhookHandler, PruneWebhookLogsHandler],
})
export class DeliveryWorkerModule {}
