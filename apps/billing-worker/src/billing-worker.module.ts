import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, WebhookEventsModule, workerLoggerModule } from '@numbers/messaging';
import { PersistenceModule } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { BillingProcessor } from './billing/billing.processor';
import { CheckoutSessionCompletedEventHandler } from './billing/checkout-session-completed.event-handler';
import { CheckoutSessionExpiredEventHandler } from './billing/checkout-session-expired.event-handler';
import { ProcessStripeEventHandler } from './billing/process-stripe-event.handler';
import { StartBillingHandler } from './billing/start-billing.handler';
import { SyncSubscriptionQuantityHandler } from './billing/sync-subscription-quantity.handler';

/** Money: the Stripe customer, the subscription quantity, credits. The `billing` queue. */
@Module({
  imports: [
    ConfigModule,
    workerLoggerModule('billing-worker'),
    PersistenceModule,
    ProvidersModule,
    MessagingModule.forWorker('billing-worker'),
    WebhookEventsModule.forWorker('billing-worker'),
  ],
  providers: [
    BillingProcessor,
    SyncSubscriptionQuantityHandler,
    ProcessStripeEventHandler,
    StartBillingHandler,
    CheckoutSessionCompletedEventHandler,
    CheckoutSessionExpiredEventHandler,
  ],
})
export class BillingWorkerModule {}
