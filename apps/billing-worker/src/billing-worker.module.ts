import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, WebhookEventsModule, workerLoggerModule } from '@numbers/messaging';
import {
  BillingAccountRepository,
  BillingStateRepository,
  LedgerRepository,
  PersistenceModule,
  PurchaseRepository,
  StuckNumberSweep,
  StuckNumbersRepository,
  SubscriptionItemRepository,
} from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { AdoptCheckoutSubscriptionHandler } from './billing/adopt-checkout-subscription.handler';
import { CheckoutSessionCompletedEventHandler } from './billing/checkout-session-completed.event-handler';
import { CheckoutSessionExpiredEventHandler } from './billing/checkout-session-expired.event-handler';
import { CheckoutSettlement } from './billing/checkout-settlement';
import { CreditSlotChargesHandler } from './billing/credit-slot-charges.handler';
import { CustomerSubscriptionDeletedEventHandler } from './billing/customer-subscription-deleted.event-handler';
import { ExpireCheckoutSessionHandler } from './billing/expire-checkout-session.handler';
import { InvoiceLedger } from './billing/invoice-ledger';
import { InvoiceEventHandler } from './billing/invoice.event-handler';
import { PaymentStanding } from './billing/payment-standing';
import { ReconcilePendingCheckoutsHandler } from './billing/reconcile-pending-checkouts.handler';
import { ReconcileSubscriptionQuantitiesHandler } from './billing/reconcile-subscription-quantities.handler';
import { ResumeStalledBillingHandler } from './billing/resume-stalled-billing.handler';
import { SettleInvoiceHandler } from './billing/settle-invoice.handler';
import { StartBillingHandler } from './billing/start-billing.handler';
import { SubscriptionEnding } from './billing/subscription-ending';
import { SubscriptionQuantitySync } from './billing/subscription-quantity-sync';
import { SyncSubscriptionQuantityHandler } from './billing/sync-subscription-quantity.handler';

/** Money: the Stripe customer, the subscription quantity, invoices, credits, the ledger. The `billing` queue. */
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
    // Jobs
    SyncSubscriptionQuantityHandler,
    StartBillingHandler,
    ExpireCheckoutSessionHandler,
    ReconcilePendingCheckoutsHandler,
    ReconcileSubscriptionQuantitiesHandler,
    ResumeStalledBillingHandler,
    CreditSlotChargesHandler,
    AdoptCheckoutSubscriptionHandler,
    SettleInvoiceHandler,
    // Stripe events
    CheckoutSessionCompletedEventHandler,
    CheckoutSessionExpiredEventHandler,
    InvoiceEventHandler,
    CustomerSubscriptionDeletedEventHandler,
    // The work they share
    CheckoutSettlement,
    SubscriptionQuantitySync,
    SubscriptionEnding,
    InvoiceLedger,
    PaymentStanding,
    BillingAccountRepository,
    BillingStateRepository,
    SubscriptionItemRepository,
    LedgerRepository,
    PurchaseRepository,
    StuckNumbersRepository,
    StuckNumberSweep,
  ],
})
export class BillingWorkerModule {}
