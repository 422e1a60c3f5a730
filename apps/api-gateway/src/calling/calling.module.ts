import { Module } from '@nestjs/common';
import { CallingSettingsRepository, CallPermissionRepository, CallRepository, SipCredentialSealer } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { CallLogQuery } from './call-log.query';
import { CallRecordingQuery } from './call-recording.query';
import { CallingSettingsController } from './calling-settings.controller';
import { CallingSettingsService } from './calling-settings.service';
import { CallsController } from './calls.controller';
import { InitiateCallUseCase } from './initiate-call.use-case';

/** WhatsApp calling (SPEC "Calling"): settings on a number, calls and prompts, the call log, permissions. */
@Module({
  imports: [ProvidersModule, IdempotencyModule],
  controllers: [CallingSettingsController, CallsController],
  providers: [CallingSettingsRepository, CallRepository, CallPermissionRepository, SipCredentialSealer, CallingSettingsService, InitiateCallUseCase, CallLogQuery, CallRecordingQuery],
})
export class CallingModule {}
