// OpenAPI descriptions of the call estimate and caller-ID answers. Documentation only: the wire
// shapes are built by CallEstimateQuery and CallerIdService and follow the `@zernio/node` SDK's types.
import { ApiProperty } from '@nestjs/swagger';

class CallEstimateBreakdownDto {
  @ApiProperty({ example: 3, description: 'Minutes billed: six-second pulses, a started one in full' }) metaMinutes!: number;
  @ApiProperty({ description: "Meta's charge, billed by Meta to your WhatsApp Business Account: display only" }) metaCostUSD!: number;
  @ApiProperty({ description: 'The carrier leg' }) telnyxCostUSD!: number;
  @ApiProperty({ description: 'Recording, when asked for' }) recordingCostUSD!: number;
  @ApiProperty({ description: 'What we bill: the carrier leg and the recording' }) billableCostUSD!: number;
  @ApiProperty({ description: "Everything, Meta's part included: display only" }) totalCostUSD!: number;
}

export class CallEstimateDto {
  @ApiProperty({ type: String, nullable: true, example: 'GB', description: "The consumer's country; null when not known (the OTHER rates apply)" }) destinationCountry!: string | null;
  @ApiProperty({ description: 'Every rate that applies, per minute' }) perMinuteUsd!: number;
  @ApiProperty({ type: CallEstimateBreakdownDto }) breakdown!: CallEstimateBreakdownDto;
}

export class StartCallerIdResponseDto {
  @ApiProperty({ description: 'The carrier has the number verified already (no code sent)' }) verified!: boolean;
  @ApiProperty() codeSent!: boolean;
  @ApiProperty({ enum: ['sms', 'call'] }) method!: string;
}

export class VerifyCallerIdResponseDto {
  @ApiProperty({ example: true }) verified!: boolean;
}
