import { Module } from '@nestjs/common';
import { WebhookEventRepository, WebhookInbox } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { MetaWebhookHandshake } from './meta-webhook.handshake';
import { ReceiveWebhookUseCase } from './receive-webhook.use-case';
import { WebhooksController } from './webhooks.controller';

/** `POST /webhooks/{stripe,telnyx,meta}` and Meta's `GET /webhooks/meta` handshake. */
@Module({
  // The webhook signature verifier (no provider is called from here).
  imports: [ProvidersModule],
  controllers: [WebhooksController],
  providers: [MetaWebhookHandshake, WebhookEventRepository, WebhookInbox, ReceiveWebhookUseCase],
})
export class WebhooksModule {}
