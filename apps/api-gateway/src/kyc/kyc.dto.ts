// OpenAPI descriptions of the KYC and remediation answers (the requests are kyc.params.ts).
// Documentation only: the queries and use cases build the wire shapes, which follow the
// `@zernio/node` SDK types.
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

class RemediatedNumberDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'pending_regulatory' }) status!: string;
}

export class RemediateResponseDto {
  @ApiProperty({ example: 'resubmitted' }) status!: string;
  @ApiProperty({ type: RemediatedNumberDto }) phoneNumber!: RemediatedNumberDto;
}
