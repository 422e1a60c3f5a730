import { Module } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type Stripe from 'stripe';
import type Telnyx from 'telnyx';
import { MetaGraphWhatsAppGateway } from '../meta/meta-graph-whatsapp.gateway';
import { createStripeClient } from '../stripe/stripe-client.factory';
import { StripeSdkGateway } from '../stripe/stripe-sdk.gateway';
import { createTelnyxClient } from '../telnyx/telnyx-client.factory';
import { TelnyxSdkCarrierGateway } from '../telnyx/telnyx-sdk-carrier.gateway';
import { CARRIER_GATEWAY, STRIPE_CLIENT, STRIPE_GATEWAY, TELNYX_CLIENT, WHATSAPP_GATEWAY } from './providers.tokens';

/**
 * Builds the provider clients once from `AppConfig` (provided by the global `ConfigModule`,
 * which the app imports) and exports the three ports behind DI tokens.
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
  ],
  exports: [STRIPE_GATEWAY, CARRIER_GATEWAY, WHATSAPP_GATEWAY, STRIPE_CLIENT, TELNYX_CLIENT],
})
export class ProvidersModule {}
