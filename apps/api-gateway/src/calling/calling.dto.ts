// OpenAPI descriptions of the calling responses. Documentation only: the wire shapes are built by
// the services and follow the `@zernio/node` SDK's `whatsappcalling.*` types.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALL_STATUSES, CALLING_STATUSES } from '@numbers/domain';

export class CallingSettingsDto {
  @ApiProperty({ type: String, nullable: true, example: '+14155550100' }) phoneNumber!: string | null;
  @ApiProperty() callingEnabled!: boolean;
  @ApiProperty({ enum: CALLING_STATUSES, description: 'Where the number is on the way to callingEnabled' }) callingStatus!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why enabling failed (callingStatus failed)' }) callingStatusDetail!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'https://wa.me/call/14155550100' }) callDeepLink!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'tel:+14155550199' }) forwardTo!: string | null;
  @ApiProperty() recordingEnabled!: boolean;
  @ApiProperty({ type: String, nullable: true }) sipAuthUsername!: string | null;
  @ApiProperty({ description: 'A SIP digest password is stored (never returned)' }) sipAuthPasswordConfigured!: boolean;
  @ApiProperty({ type: [String], nullable: true }) callIconCountries!: string[] | null;
  @ApiProperty({ description: "The number's country does not allow business-initiated calls" }) outboundDisabled!: boolean;
  @ApiProperty({ enum: ['business'] }) callerIdMode!: string;
  @ApiProperty() callerIdVerified!: boolean;
  @ApiProperty({ type: Number, nullable: true }) maxCallDurationSeconds!: number | null;
  @ApiProperty({ enum: ['business', 'caller'] }) forwardCallerId!: string;
}

export class EnableCallingResponseDto {
  @ApiProperty({ example: true }) success!: boolean;
  @ApiProperty() callingEnabled!: boolean;
  @ApiProperty({ enum: CALLING_STATUSES, example: 'enabling' }) callingStatus!: string;
  @ApiProperty({ example: 'sip.telnyx.com' }) sipHostname!: string;
  @ApiProperty({ type: String, nullable: true }) forwardTo!: string | null;
  @ApiProperty({ enum: ['business'] }) callerIdMode!: string;
}

export class DisableCallingResponseDto {
  @ApiProperty({ example: true }) success!: boolean;
  @ApiProperty({ example: false }) callingEnabled!: boolean;
  @ApiProperty({ enum: CALLING_STATUSES, example: 'disabling', description: 'disabling until the calling worker turned calling off at Meta and the carrier' }) callingStatus!: string;
}

export class InitiateCallResponseDto {
  @ApiProperty({ example: true }) success!: boolean;
  @ApiPropertyOptional({ description: 'The call (placing a call)' }) callId?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The carrier call id: null until the calling worker dialed' })
  telnyxCallControlId?: string | null;
  @ApiProperty({ enum: ['dialing', 'queued'], description: 'dialing (a call) or queued (a permission prompt)' }) status!: string;
  @ApiPropertyOptional({ enum: ['outbound'] }) direction?: string;
  @ApiProperty({ example: '+447700900123' }) to!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) forwardTo?: string | null;
  @ApiPropertyOptional() recordingEnabled?: boolean;
  @ApiPropertyOptional({ enum: ['send_call_permission_request'] }) action?: string;
  @ApiPropertyOptional({ description: 'The permission prompt (action send_call_permission_request)' }) promptId?: string;
}

export class CallDto {
  @ApiProperty() _id!: string;
  @ApiProperty({ enum: ['outbound', 'inbound'] }) direction!: string;
  @ApiProperty({ example: '+14155550100' }) from!: string;
  @ApiProperty({ example: '+447700900123' }) to!: string;
  @ApiProperty({ enum: CALL_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) durationSeconds!: number | null;
  @ApiProperty({ type: String, nullable: true, enum: ['hangup', 'no_answer', 'rejected', 'error'] }) endReason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The carrier's hang-up cause" }) hangupCause!: string | null;
  @ApiProperty({ type: String, nullable: true }) telnyxCallControlId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'GET it for the recording (a fresh short-lived URL); null while there is none' }) recordingUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "Meta's call id (wacid.*), once Meta told it" }) metaCallId!: string | null;
}

export class CallListDto {
  @ApiProperty({ type: [CallDto], description: 'Newest first' }) calls!: CallDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as before for the next page; null on the last page' }) nextCursor!: string | null;
}

export class CallEnvelopeDto {
  @ApiProperty({ type: CallDto }) call!: CallDto;
}

export class CallRecordingUrlDto {
  @ApiProperty({ description: 'The recording (MP3), signed by the carrier; valid for a few minutes' }) url!: string;
}

class PermissionDto {
  @ApiProperty({ enum: ['temporary', 'no_permission', 'permanent'] }) status!: string;
  @ApiPropertyOptional({ description: 'Unix seconds, when temporary' }) expiration_time?: number;
}

class PermissionActionDto {
  @ApiProperty({ enum: ['send_call_permission_request', 'start_call'] }) action_name!: string;
  @ApiProperty() can_perform_action!: boolean;
}

export class CallPermissionsDto {
  @ApiProperty({ type: PermissionDto }) permission!: PermissionDto;
  @ApiProperty({ type: [PermissionActionDto] }) actions!: PermissionActionDto[];
}
