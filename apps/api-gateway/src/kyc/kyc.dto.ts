// OpenAPI descriptions of the KYC and remediation endpoints. Documentation only: the wire shapes
// are built by the queries and use cases and follow the `@zernio/node` SDK types.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { KYC_FIELD_KINDS } from '@numbers/domain';
import { NUMBER_TYPES } from '../purchase/purchase.params';

export class KycFieldDto {
  @ApiProperty({ example: 'req_de_id' }) requirementId!: string;
  @ApiProperty({ example: 'ID document' }) label!: string;
  @ApiProperty({ enum: KYC_FIELD_KINDS }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: String, nullable: true }) example!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'ISO country the value must be local to' }) localTo!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['business', 'individual'] }) audience!: string | null;
}

export class KycDetailDto {
  @ApiProperty() label!: string;
  @ApiProperty() value!: string;
  @ApiPropertyOptional({ description: 'On document rows' }) documentId?: string;
}

export class ReusableOptionDto {
  @ApiProperty({ description: 'Pass as reuseOptionId' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) fromPhoneNumber!: string | null;
  @ApiProperty({ description: 'The carrier approved it: a new number is ordered at once' }) instant!: boolean;
  @ApiProperty({ type: [KycDetailDto] }) details!: KycDetailDto[];
}

export class ReusableDto {
  @ApiProperty() available!: boolean;
  @ApiProperty({ type: String, nullable: true }) fromPhoneNumber!: string | null;
  @ApiProperty({ type: [KycDetailDto] }) details!: KycDetailDto[];
  @ApiProperty({ type: [ReusableOptionDto] }) options!: ReusableOptionDto[];
}

export class KycFormDto {
  @ApiProperty({ example: 'DE' }) country!: string;
  @ApiProperty({ enum: NUMBER_TYPES }) numberType!: string;
  @ApiProperty({ type: [KycFieldDto] }) fields!: KycFieldDto[];
  @ApiProperty({ type: ReusableDto, nullable: true }) reusable!: ReusableDto | null;
  @ApiProperty({ description: 'A number of the account in this country is in review now (informational)' }) pendingReview!: boolean;
}

export class KycAddressDto {
  @ApiPropertyOptional({ example: 'req_de_address' }) requirementId?: string;
  @ApiProperty({ example: 'DE' }) country_code!: string;
  @ApiPropertyOptional({ example: 'Acme GmbH' }) business_name?: string;
  @ApiPropertyOptional() first_name?: string;
  @ApiPropertyOptional() last_name?: string;
  @ApiProperty({ example: 'Friedrichstrasse 68' }) street_address!: string;
  @ApiPropertyOptional() extended_address?: string;
  @ApiProperty({ example: 'Berlin' }) locality!: string;
  @ApiPropertyOptional({ example: 'BE' }) administrative_area?: string;
  @ApiProperty({ example: '10117' }) postal_code!: string;
}

export class KycDocumentInputDto {
  @ApiProperty({ example: 'req_de_id' }) requirementId!: string;
  @ApiPropertyOptional({ description: 'With base64', example: 'id-card.pdf' }) filename?: string;
  @ApiPropertyOptional({ description: 'The file, base64 (PDF, JPG, PNG or WEBP, at most 10 MB; the request at most 1 MB)' }) base64?: string;
  @ApiPropertyOptional({ description: 'Instead of base64: an id from POST /v1/whatsapp/phone-numbers/kyc/upload-document' }) documentId?: string;
}

export class SubmitKycBodyDto {
  @ApiProperty() profileId!: string;
  @ApiProperty({ example: 'DE' }) country!: string;
  @ApiPropertyOptional({ description: 'Idempotency token: a retry answers kyc_already_submitted with the same number', maxLength: 128 }) submissionId?: string;
  @ApiPropertyOptional({ description: 'Only 1 for now', default: 1 }) quantity?: number;
  @ApiPropertyOptional({ description: 'Reuse an approved verification of this country (GET reusable)' }) reuse?: boolean;
  @ApiPropertyOptional() reuseOptionId?: string;
  @ApiPropertyOptional({ description: 'Legacy: the number of the verification to reuse' }) reuseFrom?: string;
  @ApiPropertyOptional({ description: 'Confirms a second purchase within 10 minutes' }) allowMultiple?: boolean;
  @ApiPropertyOptional() endUserFirstName?: string;
  @ApiPropertyOptional() endUserLastName?: string;
  @ApiPropertyOptional({ description: 'requirementId → value', type: 'object', additionalProperties: { type: 'string' } }) values?: Record<string, string>;
  @ApiPropertyOptional({ type: [KycDocumentInputDto] }) documents?: KycDocumentInputDto[];
  @ApiPropertyOptional({ type: KycAddressDto }) address?: KycAddressDto;
}

export class SubmittedNumberDto {
  @ApiProperty() id!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) phoneNumber!: string | null;
  @ApiProperty() country!: string;
}

export class SubmitKycResponseDto {
  @ApiProperty({ enum: ['kyc_submitted', 'kyc_reused', 'kyc_already_submitted'] }) status!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ description: 'First number: pay here, then the review starts' }) checkoutUrl?: string;
  @ApiProperty({ example: false }) preOrder!: boolean;
  @ApiProperty({ type: SubmittedNumberDto }) phoneNumber!: SubmittedNumberDto;
  @ApiProperty({ type: [SubmittedNumberDto] }) numbers!: SubmittedNumberDto[];
}

export class UploadedDocumentDto {
  @ApiProperty({ description: 'Reference it in documents[].documentId' }) documentId!: string;
}

export class ValidateAddressBodyDto {
  @ApiProperty({ example: 'AU' }) country!: string;
  @ApiProperty({ example: '1 Martin Place' }) street_address!: string;
  @ApiPropertyOptional() extended_address?: string;
  @ApiProperty({ example: 'Sydney' }) locality!: string;
  @ApiPropertyOptional({ example: 'NSW', description: 'Without it the region pre-check is skipped' }) administrative_area?: string;
  @ApiProperty({ example: '2000' }) postal_code!: string;
}

export class ValidateAddressDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'No administrative_area: the region pre-check did not run' }) skipped!: boolean;
}

export class RemediationDto {
  @ApiProperty({ example: 'DE' }) country!: string;
  @ApiProperty({ enum: NUMBER_TYPES }) numberType!: string;
  @ApiProperty({ type: String, nullable: true }) declineReason!: string | null;
  @ApiProperty({ type: [KycFieldDto], description: 'The declined fields to correct' }) fields!: KycFieldDto[];
}

export class RemediateBodyDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) values?: Record<string, string>;
  @ApiPropertyOptional({ type: [KycDocumentInputDto] }) documents?: KycDocumentInputDto[];
  @ApiPropertyOptional({ type: KycAddressDto }) address?: KycAddressDto;
}

class RemediatedNumberDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'pending_regulatory' }) status!: string;
}

export class RemediateResponseDto {
  @ApiProperty({ example: 'resubmitted' }) status!: string;
  @ApiProperty({ type: RemediatedNumberDto }) phoneNumber!: RemediatedNumberDto;
}
