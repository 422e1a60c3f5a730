// OpenAPI descriptions of the phone-number responses. Documentation only: the wire shapes are
// built by phone-number.presenter.ts and follow the `@zernio/node` SDK types.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NUMBER_STATUSES } from '@numbers/domain';

export class ErrorDto {
  @ApiProperty({ example: 'Phone number not found' }) error!: string;
  @ApiPropertyOptional({ example: 'NOT_FOUND' }) code?: string;
  @ApiPropertyOptional() type?: string;
  @ApiPropertyOptional({ description: 'The request field at fault (validation errors)', example: 'status' }) param?: string;
  @ApiPropertyOptional() details?: object;
}

export class UnauthorizedDto {
  @ApiProperty({ example: 'Unauthorized' }) error!: string;
}

export class ProfileRefDto {
  @ApiProperty({ example: '6745a1b2c3d4e5f6a7b8c9d0' }) _id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Default' }) name!: string | null;
}

class PhoneNumberFieldsDto {
  @ApiProperty({ type: String, nullable: true, description: 'E.164; null until the carrier assigned one', example: '+14155550123' })
  phoneNumber!: string | null;
  @ApiProperty({ example: 'US' }) country!: string;
  @ApiProperty({ enum: NUMBER_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) registrantName!: string | null;
  @ApiProperty({ type: String, nullable: true }) telnyxOrderId!: string | null;
  @ApiProperty({ example: 300 }) monthlyCents!: number;
  @ApiProperty({ example: true }) hostedByZernio!: boolean;
  @ApiProperty({ type: String, nullable: true, example: null }) sipTrunkId!: string | null;
  @ApiProperty({ type: ProfileRefDto }) profileId!: ProfileRefDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) provisionedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) metaPreverifiedId!: string | null;
  @ApiProperty({ type: String, nullable: true }) metaVerificationStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) onfidoVerificationUrl!: string | null;
  @ApiProperty({ type: String, nullable: true }) endUserFirstName!: string | null;
  @ApiProperty({ type: String, nullable: true }) endUserLastName!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the regulator declined (regulatory_declined)' })
  regulatoryDeclineReason!: string | null;
  @ApiProperty() callingEnabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

export class PhoneNumberListItemDto extends PhoneNumberFieldsDto {
  @ApiProperty({ example: '6745a1b2c3d4e5f6a7b8c9d1' }) _id!: string;
}

export class PhoneNumberDto extends PhoneNumberFieldsDto {
  @ApiProperty({ example: '6745a1b2c3d4e5f6a7b8c9d1' }) id!: string;
}

export class ConnectedNumberDto {
  @ApiProperty({ description: 'The social-account id the messaging endpoints use' }) accountId!: string;
  @ApiProperty({ example: '+447700900123' }) phoneNumber!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
  @ApiProperty() profileId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) connectedAt!: string;
  @ApiProperty() callingEnabled!: boolean;
}

export class SandboxTemplateDto {
  @ApiProperty({ example: 'hello_world' }) name!: string;
  @ApiProperty({ example: 'en_US' }) language!: string;
}

export class SandboxDto {
  @ApiProperty({ example: '+15550000000' }) phoneNumber!: string;
  @ApiProperty() accountId!: string;
  @ApiProperty({ type: SandboxTemplateDto }) template!: SandboxTemplateDto;
  @ApiProperty({ example: true }) isSandbox!: boolean;
}

export class PhoneNumberListDto {
  @ApiProperty({ type: [PhoneNumberListItemDto], description: 'Hosted numbers, newest first' })
  numbers!: PhoneNumberListItemDto[];
  @ApiProperty({ type: [ConnectedNumberDto], description: 'Only on the default and status=active views; empty elsewhere' })
  connected!: ConnectedNumberDto[];
  @ApiProperty({ type: SandboxDto }) sandbox!: SandboxDto;
}

export class PhoneNumberEnvelopeDto {
  @ApiProperty({ type: PhoneNumberDto }) phoneNumber!: PhoneNumberDto;
}

export class ReleasedNumberDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) phoneNumber!: string | null;
  @ApiProperty({ example: 'releasing' }) status!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) releasedAt!: string | null;
}

export class ReleaseResponseDto {
  @ApiProperty({ example: 'Phone number release started' }) message!: string;
  @ApiProperty({ type: ReleasedNumberDto }) phoneNumber!: ReleasedNumberDto;
}

export class CountryDto {
  @ApiProperty({ example: 'US', description: 'ISO 3166-1 alpha-2' }) code!: string;
  @ApiProperty({ enum: [1, 2, 3, 4] }) tier!: number;
  @ApiProperty({ example: 300 }) monthlyCents!: number;
  @ApiProperty() needsKyc!: boolean;
  @ApiProperty() outboundCallingAvailable!: boolean;
}

export class CountryListDto {
  @ApiProperty({ type: [CountryDto] }) countries!: CountryDto[];
}
