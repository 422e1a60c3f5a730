import { Module } from '@nestjs/common';
import { CallingSettingsRepository, CallPermissionRepository, CallRateRepository, CallRepository, SipCredentialSealer } from '@numbers/persistence';
import { ProvidersModule } from '@numbers/providers';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { CallAdmission } from './call-admission';
import { CallEstimateQuery } from './call-estimate.query';
import { CallLogQuery } from './call-log.query';
import { CallToolsController } from './call-tools.controller';
import { CallerIdService } from './caller-id.service';
import { CallRecordingQuery } from './call-recording.query';
import { CallingSettingsController } from './calling-settings.controller';
import { CallingSettingsService } from './calling-settings.service';
import { CallsController } from './calls.controller';
import { InitiateCallUseCase } from './initiate-call.use-case';

/** WhatsApp calling (SPEC "Calling"): settings on a number, calls and prompts, the call log, permissions, estimates and caller ID. */
@Module({
  imports: [IdempotencyModule, ProvidersModule],
  controllers: [CallingSettingsController, CallsController, CallToolsController],
  providers: [
    CallingSettingsRepository,
    CallRepository,
    CallPermissionRepository,
    SipCredentialSealer,
    CallingSettingsService,
    InitiateCallUseCase,
    CallAdmission,
    CallLogQuery,
    CallRateRepository,
    CallEstimateQuery,
    CallerIdService,
    CallRecordingQuery,
  ],
})
export class CallingModule {}
