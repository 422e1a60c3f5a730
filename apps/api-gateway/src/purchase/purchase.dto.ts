// OpenAPI descriptions of the purchase and inventory answers (the requests are purchase.params.ts).
// Documentation only: the use case and queries build the wire shapes, which follow the
// `@zernio/node` SDK types.
import { ApiProperty } from '@nestjs/swagger';
import { PhoneNumberDto } from '../numbers/phone-numbers.dto';
import { NUMBER_TYPES } from './purchase.params';

export class CheckoutStartedDto {
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'Stripe Checkout: the first number is provisioned once paid' }) checkoutUrl!: string;
}

export class PurchasedNumberDto {
  @ApiProperty() message!: string;
  @ApiProperty({ type: PhoneNumberDto, description: 'The new number, provisioning' }) phoneNumber!: PhoneNumberDto;
}

export class AlreadyPurchasedDto {
  @ApiProperty({ example: 'already_purchased' }) status!: string;
  @ApiProperty() numberId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'E.164 once known' }) phoneNumber!: string | null;
}

export class KycRequiredDto {
  @ApiProperty({ example: 'kyc_required' }) status!: string;
  @ApiProperty({ example: 'DE' }) country!: string;
  @ApiProperty({ enum: NUMBER_TYPES, description: 'The type that will be ordered after KYC approval' }) numberType!: string;
  @ApiProperty({ example: 'https://api.example.com/v1/whatsapp/phone-numbers/kyc?country=DE&numberType=local' }) kycUrl!: string;
}

export class AvailableNumberDto {
  @ApiProperty({ example: '+14155550123' }) phoneNumber!: string;
  @ApiProperty({ type: String, nullable: true, example: 'San Francisco' }) locality!: string | null;
  @ApiProperty({ example: false }) bestEffort!: boolean;
}

export class AvailableNumbersDto {
  @ApiProperty({ example: 'US' }) country!: string;
  @ApiProperty({ enum: NUMBER_TYPES }) numberType!: string;
  @ApiProperty({ type: [AvailableNumberDto] }) numbers!: AvailableNumberDto[];
}

export class AreaOptionDto {
  @ApiProperty({ example: '415' }) ndc!: string;
  @ApiProperty({ example: 'San Francisco, CA' }) name!: string;
  @ApiProperty({ example: 45 }) count!: number;
}

export class SoldOutAreaDto {
  @ApiProperty() ndc!: string;
  @ApiProperty() name!: string;
  @ApiProperty() preOrderable!: boolean;
}

export class AvailabilityDto {
  @ApiProperty({ example: 'US' }) country!: string;
  @ApiProperty({ enum: NUMBER_TYPES }) numberType!: string;
  @ApiProperty({ description: 'Whether numbers can be bought now' }) available!: boolean;
  @ApiProperty({ description: 'Always false: numbers are not pre-ordered' }) preOrderable!: boolean;
  @ApiProperty({ enum: ['geo', 'country', 'none'] }) addressConstraint!: string;
  @ApiProperty({ type: [String], description: 'geo only: the areas the registered address may be in' }) areas!: string[];
  @ApiProperty({ type: [AreaOptionDto] }) areaOptions!: AreaOptionDto[];
  @ApiProperty({ type: [SoldOutAreaDto], description: 'Always empty: no stock history is kept' }) soldOutAreas!: SoldOutAreaDto[];
}
