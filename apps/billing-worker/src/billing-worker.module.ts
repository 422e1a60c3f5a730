import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, WebhookEventsModule, workerLoggerModule } from '@numbers/messaging';
import { PersistenceModule, PurchaseRepository, StuckNumberSweep, StuckNumbersRepository } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { BillingProcessor } from './billing/billing.processor';
import { CheckoutSessionCompletedEventHandler } from './billing/checkout-session-completed.event-handler';
import { CheckoutSessionExpiredEventHandler } from './billing/checkout-session-expired.event-handler';
import { CheckoutSettlement } from './billing/checkout-settlement';
import { ExpireCheckoutSessionHandler } from './billing/expire-checkout-session.handler';
import { ProcessStripeEventHandler } from './billing/process-stripe-event.handler';
import { ReconcilePendingCheckoutsHandler } from './billing/reconcile-pending-checkouts.handler';
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
    CheckoutSettlement,
    CheckoutSessionCompletedEventHandler,
    CheckoutSessionExpiredEventHandler,
    ExpireCheckoutSessionHandler,
    ReconcilePendingCheckoutsHandler,
    PurchaseRepository,
    StuckNumbersRepository,
    StuckNumberSweep,
  ],
})
export class BillingWorkerModule {}
