import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, WebhookEventsModule, workerLoggerModule } from '@numbers/messaging';
import { CallingSettingsRepository, CallPermissionRepository, CallRepository, PersistenceModule, SipCredentialSealer, StuckNumberSweep, StuckNumbersRepository } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { AnswerInboundCallHandler } from './calling/answer-inbound-call.handler';
import { HangUpInboundCallHandler } from './calling/hang-up-inbound-call.handler';
import { MetaCallsEventHandler } from './calling/meta-calls.event-handler';
import { MetaMessagesEventHandler } from './calling/meta-messages.event-handler';
import { PlaceCallHandler } from './calling/place-call.handler';
import { ResumeStalledCallingHandler } from './calling/resume-stalled-calling.handler';
import { SendCallPermissionRequestHandler } from './calling/send-call-permission-request.handler';
import { SyncWhatsAppCallingHandler } from './calling/sync-whatsapp-calling.handler';
import { TelnyxCallEventHandler } from './calling/telnyx-call.event-handler';
import { TelnyxRecordingEventHandler } from './calling/telnyx-recording.event-handler';
import { NumberEventsController } from './events/number-events.controller';

/** Calls and call permissions: the `calling` queue, the calling webhooks, and the subscriber of number events. */
@Module({
  imports: [
    ConfigModule,
    workerLoggerModule('calling-worker'),
    PersistenceModule,
    ProvidersModule,
    MessagingModule.forWorker('calling-worker'),
    WebhookEventsModule.forWorker('calling-worker'),
  ],
  controllers: [NumberEventsController],
  providers: [
    CallRepository,
    CallPermissionRepository,
    CallingSettingsRepository,
    SipCredentialSealer,
    StuckNumbersRepository,
    StuckNumberSweep,
    // Jobs
    SyncWhatsAppCallingHandler,
    SendCallPermissionRequestHandler,
    PlaceCallHandler,
    AnswerInboundCallHandler,
    HangUpInboundCallHandler,
    ResumeStalledCallingHandler,
    // Webhook event types
    MetaMessagesEventHandler,
    MetaCallsEventHandler,
    TelnyxCallEventHandler,
    TelnyxRecordingEventHandler,
  ],
})
export class CallingWorkerModule {}
