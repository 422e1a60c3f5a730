import { Module } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type Stripe from 'stripe';
import type Telnyx from 'telnyx';
import { WebhookSender } from '../customer-webhooks/webhook-sender';
import { MetaGraphWhatsAppGateway } from '../meta/meta-graph-whatsapp.gateway';
import { createStripeClient } from '../stripe/stripe-client.factory';
import { StripeSdkGateway } from '../stripe/stripe-sdk.gateway';
import { createTelnyxClient } from '../telnyx/telnyx-client.factory';
import { TelnyxSdkCarrierGateway } from '../telnyx/telnyx-sdk-carrier.gateway';
import { SdkWebhookSignatureVerifier } from '../webhooks/sdk-webhook-signature.verifier';
import { CARRIER_GATEWAY, STRIPE_CLIENT, STRIPE_GATEWAY, TELNYX_CLIENT, WEBHOOK_SIGNATURE_VERIFIER, WHATSAPP_GATEWAY } from './providers.tokens';

/**
 * Builds the provider clients once from `AppConfig` (provided by the global `ConfigModule`,
 * which the app imports) and exports the ports behind DI tokens: the three gateways and the
 * webhook signature verifier; and the WebhookSender that delivers customer webhooks. The SDK
 * clients stay inside.
 */
@Module({
  providers: [
    { provide: STRIPE_CLIENT, useFactory: (config: AppConfig) => createStripeClient(config.stripe), inject: [AppConfig] },
    { provide: TELNYX_CLIENT, useFactory: (config: AppConfig) => createTelnyxClient(config.telnyx), inject: [AppConfig] },
    {
      provide: STRIPE_GATEWAY,
      useFactory: (client: Stripe, config: AppConfig) => new StripeSdkGateway(client, config.stripe.priceId),
      inject: [STRIPE_CLIENT, AppConfig],
    },
    {
      provide: CARRIER_GATEWAY,
      useFactory: (client: Telnyx, config: AppConfig) =>
        new TelnyxSdkCarrierGateway(client, { connectionId: config.telnyx.connectionId, messagingProfileId: config.telnyx.messagingProfileId }),
      inject: [TELNYX_CLIENT, AppConfig],
    },
    {
      provide: WHATSAPP_GATEWAY,
      useFactory: (config: AppConfig) => new MetaGraphWhatsAppGateway(config.meta),
      inject: [AppConfig],
    },
    {
      provide: WEBHOOK_SIGNATURE_VERIFIER,
      useFactory: (stripe: Stripe, telnyx: Telnyx, config: AppConfig) =>
        new SdkWebhookSignatureVerifier(stripe, telnyx, {
          stripeWebhookSecret: config.stripe.webhookSecret,
          telnyxPublicKey: config.telnyx.publicKey,
          metaAppSecret: config.meta.appSecret,
        }),
      inject: [STRIPE_CLIENT, TELNYX_CLIENT, AppConfig],
    },
    { provide: WebhookSender, useFactory: (config: AppConfig) => new WebhookSender(config.webhooks), inject: [AppConfig] },
  ],
  exports: [STRIPE_GATEWAY, CARRIER_GATEWAY, WHATSAPP_GATEWAY, WEBHOOK_SIGNATURE_VERIFIER, WebhookSender],
})
export class ProvidersModule {}
