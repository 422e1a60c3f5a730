// OpenAPI descriptions of the number-info and move-to-profile answers. Documentation only: the
// wire shapes are built by NumberInfoQuery and MoveNumberToProfileUseCase and follow the
// `@zernio/node` SDK's types.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ThroughputDto {
  @ApiProperty({ example: 'STANDARD', description: 'STANDARD or HIGH' }) level!: string;
}

export class NumberInfoPhoneDto {
  @ApiProperty({ type: String, nullable: true, example: '+1 415-555-0142' }) display_phone_number!: string | null;
  @ApiProperty({ type: String, nullable: true }) verified_name!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'APPROVED, AVAILABLE_WITHOUT_REVIEW, PENDING_REVIEW, DECLINED, EXPIRED, NONE' }) name_status!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'GREEN, YELLOW, RED, UNKNOWN' }) quality_rating!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'TIER_1K' }) messaging_limit_tier!: string | null;
  @ApiProperty({ type: ThroughputDto, nullable: true }) throughput!: ThroughputDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'CONNECTED' }) status!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) is_official_business_account!: boolean | null;
  @ApiProperty({ type: String, nullable: true, example: 'CLOUD_API' }) platform_type!: string | null;
  @ApiProperty({ type: Object, nullable: true, description: "Meta's health_status: can_send_message and its entities" }) health_status!: Record<string, unknown> | null;
}

export class NumberInfoWabaDto {
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'verified, not_verified, pending, ...' }) business_verification_status!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "Meta's timezone enum id" }) timezone_id!: string | null;
  @ApiProperty({ type: Object, nullable: true }) health_status!: Record<string, unknown> | null;
}

export class NumberInfoDto {
  @ApiProperty({ type: NumberInfoPhoneDto }) phone!: NumberInfoPhoneDto;
  @ApiProperty({ type: NumberInfoWabaDto, nullable: true, description: 'null when Meta refuses to read the business account' }) waba!: NumberInfoWabaDto | null;
}

export class MoveToProfileResponseDto {
  @ApiProperty({ example: 'Number moved to the profile' }) message!: string;
  @ApiProperty({ description: 'The profile the number is now on' }) profileId!: string;
  @ApiPropertyOptional({ type: [String], example: ['whatsapp'], description: 'Absent when the number was already on the profile' }) movedPlatforms?: string[];
}
