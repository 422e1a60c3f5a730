import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, workerLoggerModule } from '@numbers/messaging';
import { PersistenceModule } from '@numbers/persistence';
import { CallingProcessor } from './calling/calling.processor';
import { NumberEventsController } from './events/number-events.controller';

/** Calls and call permissions: the `calling` queue, and the subscriber of number events. */
@Module({
  imports: [ConfigModule, workerLoggerModule('calling-worker'), PersistenceModule, MessagingModule.forWorker('calling-worker')],
  controllers: [NumberEventsController],
  providers: [CallingProcessor],
})
export class CallingWorkerModule {}
