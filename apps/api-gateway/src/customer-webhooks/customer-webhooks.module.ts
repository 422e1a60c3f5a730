import { Module } from '@nestjs/common';
import { ProvidersModule } from '@numbers/providers';
import { CustomerEventRepository, WebhookDeliveryRepository, WebhookEndpointRepository, WebhookSecretSealer } from '@numbers/persistence';
import { CustomerWebhooksController } from './customer-webhooks.controller';
import { RedeliverWebhookEventUseCase } from './redeliver-webhook-event.use-case';
import { TestWebhookUseCase } from './test-webhook.use-case';
import { WebhookLogsQueryHandler } from './webhook-logs.query';
import { WebhookSettingsService } from './webhook-settings.service';

/** Webhooks to customers (SPEC "Webhooks out"): endpoints, test deliveries, logs, redelivery. */
@Module({
  imports: [ProvidersModule],
  controllers: [CustomerWebhooksController],
  providers: [
    WebhookEndpointRepository,
    CustomerEventRepository,
    WebhookDeliveryRepository,
    WebhookSecretSealer,
    WebhookSettingsService,
    TestWebhookUseCase,
    RedeliverWebhookEventUseCase,
    WebhookLogsQueryHandler,
  ],
})
export class CustomerWebhooksModule {}
