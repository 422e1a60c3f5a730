import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, NumbersByStateMetrics, WebhookEventsModule, workerLoggerModule } from '@numbers/messaging';
import {
  KycRetentionRepository,
  NumberStatsRepository,
  PersistenceModule,
  ProvisioningNumberRepository,
  RegulatoryCaseRepository,
  StockWatchRepository,
  StuckNumberSweep,
  StuckNumbersRepository,
} from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { EraseExpiredKycHandler } from './kyc/erase-expired-kyc.handler';
import { CARRIER_KYC_PROVIDERS } from './provisioning/carrier-kyc-references';
import { CarrierOrderPlacement } from './provisioning/carrier-order-placement';
import { MessageReceivedEventHandler } from './provisioning/message-received.event-handler';
import { NumberOrderCompleteEventHandler } from './provisioning/number-order-complete.event-handler';
import { NumberOrderSettlement } from './provisioning/number-order-settlement';
import { OrderNumberHandler } from './provisioning/order-number.handler';
import { ProvisioningFailure } from './provisioning/provisioning-failure';
import { RegulatoryReview } from './provisioning/regulatory-review';
import { RequirementGroupStatusUpdatedEventHandler } from './provisioning/requirement-group-status-updated.event-handler';
import { ResubmitRequirementGroupHandler } from './provisioning/resubmit-requirement-group.handler';
import { ReleaseNumberHandler } from './provisioning/release-number.handler';
import { RegisterWhatsAppHandler } from './provisioning/register-whatsapp.handler';
import { ResumeStalledProvisioningHandler } from './provisioning/resume-stalled-provisioning.handler';
import { SettleRegulatoryVerdictHandler } from './provisioning/settle-regulatory-verdict.handler';
import { VerifyWhatsAppCodeHandler } from './provisioning/verify-whatsapp-code.handler';
import { WhatsAppActivation } from './provisioning/whatsapp-activation';
import { SweepStockWatchesHandler } from './stock/sweep-stock-watches.handler';

/** The carrier (Telnyx) and WhatsApp (Meta) side of a number's life, and the carrier's stock for stock watches: the `provisioning` queue. */
@Module({
  imports: [
    ConfigModule,
    workerLoggerModule('provisioning-worker'),
    PersistenceModule,
    ProvidersModule,
    MessagingModule.forWorker('provisioning-worker'),
    WebhookEventsModule.forWorker('provisioning-worker'),
  ],
  providers: [
    ReleaseNumberHandler,
    OrderNumberHandler,
    RegisterWhatsAppHandler,
    VerifyWhatsAppCodeHandler,
    ProvisioningNumberRepository,
    ProvisioningFailure,
    NumberOrderSettlement,
    CarrierOrderPlacement,
    WhatsAppActivation,
    NumberOrderCompleteEventHandler,
    MessageReceivedEventHandler,
    ResumeStalledProvisioningHandler,
    StuckNumbersRepository,
    StuckNumberSweep,
    RegulatoryCaseRepository,
    RegulatoryReview,
    ...CARRIER_KYC_PROVIDERS,
    KycRetentionRepository,
    EraseExpiredKycHandler,
    ResubmitRequirementGroupHandler,
    RequirementGroupStatusUpdatedEventHandler,
    SettleRegulatoryVerdictHandler,
    StockWatchRepository,
    SweepStockWatchesHandler,
    // numbers_phone_numbers{status}: reported by this one app, not by every worker.
    NumberStatsRepository,
    NumbersByStateMetrics,
  ],
})
export class ProvisioningWorkerModule {}
