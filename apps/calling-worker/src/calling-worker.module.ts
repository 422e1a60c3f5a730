import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, WebhookEventsModule, workerLoggerModule } from '@numbers/messaging';
import { PersistenceModule } from '@numbers/persistence';
import { CallingProcessor } from './calling/calling.processor';
import { ProcessMetaEventHandler } from './calling/process-meta-event.handler';
import { ProcessTelnyxCallEventHandler } from './calling/process-telnyx-call-event.handler';
import { NumberEventsController } from './events/number-events.controller';

/** Calls and call permissions: the `calling` queue, and the subscriber of number events. */
@Module({
  imports: [
    ConfigModule,
    workerLoggerModule('calling-worker'),
    PersistenceModule,
    MessagingModule.forWorker('calling-worker'),
    WebhookEventsModule.forWorker('calling-worker'),
  ],
  controllers: [NumberEventsController],
  providers: [CallingProcessor, ProcessMetaEventHandler, ProcessTelnyxCallEventHandler],
})
export class CallingWorkerModule {}
