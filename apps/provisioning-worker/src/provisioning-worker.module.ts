import { Module } from '@nestjs/common';
import { ConfigModule } from '@numbers/config';
import { MessagingModule, workerLoggerModule } from '@numbers/messaging';
import { PersistenceModule } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { ProvisioningProcessor } from './provisioning/provisioning.processor';
import { ReleaseNumberHandler } from './provisioning/release-number.handler';

/** The carrier (Telnyx) and WhatsApp (Meta) side of a number's life: the `provisioning` queue. */
@Module({
  imports: [
    ConfigModule,
    workerLoggerModule('provisioning-worker'),
    PersistenceModule,
    ProvidersModule,
    MessagingModule.forWorker('provisioning-worker'),
  ],
  providers: [ProvisioningProcessor, ReleaseNumberHandler],
})
export class ProvisioningWorkerModule {}
