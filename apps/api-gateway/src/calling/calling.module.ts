import { Module } from '@nestjs/common';
import { CallingSettingsRepository, CallPermissionRepository, CallRepository, SipCredentialSealer } from '@numbers/persistence';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { CallLogQuery } from './call-log.query';
import { CallingSettingsController } from './calling-settings.controller';
import { CallingSettingsService } from './calling-settings.service';
import { CallsController } from './calls.controller';
import { InitiateCallUseCase } from './initiate-call.use-case';

/** WhatsApp calling (SPEC "Calling"): settings on a number, calls and prompts, the call log, permissions. */
@Module({
  imports: [IdempotencyModule],
  controllers: [CallingSettingsController, CallsController],
  providers: [CallingSettingsRepository, CallRepository, CallPermissionRepository, SipCredentialSealer, CallingSettingsService, InitiateCallUseCase, CallLogQuery],
})
export class CallingModule {}
