import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, workerLoggerModule } from '@numbers/messaging';
import { PersistenceModule } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { BillingProcessor } from './billing/billing.processor';
import { SyncSubscriptionQuantityHandler } from './billing/sync-subscription-quantity.handler';

/** Money: the Stripe customer, the subscription quantity, credits. The `billing` queue. */
@Module({
  imports: [
    ConfigModule,
    workerLoggerModule('billing-worker'),
    PersistenceModule,
    ProvidersModule,
    MessagingModule.forWorker('billing-worker'),
  ],
  providers: [BillingProcessor, SyncSubscriptionQuantityHandler],
})
export class BillingWorkerModule {}
