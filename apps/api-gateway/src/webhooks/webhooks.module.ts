import { Module } from '@nestjs/common';
import { WebhookEventRepository, WebhookInbox } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { MetaWebhookVerifier } from './meta-webhook.verifier';
import { ReceiveWebhookUseCase } from './receive-webhook.use-case';
import { StripeWebhookVerifier } from './stripe-webhook.verifier';
import { TelnyxWebhookVerifier } from './telnyx-webhook.verifier';
import { WebhooksController } from './webhooks.controller';

/** `POST /webhooks/{stripe,telnyx,meta}` and Meta's `GET /webhooks/meta` handshake. */
@Module({
  // The SDK clients, for their own webhook verifiers (no provider is called from here).
  imports: [ProvidersModule],
  controllers: [WebhooksController],
  providers: [StripeWebhookVerifier, TelnyxWebhookVerifier, MetaWebhookVerifier, WebhookEventRepository, WebhookInbox, ReceiveWebhookUseCase],
})
export class WebhooksModule {}
