// OpenAPI descriptions of the webhook responses. Documentation only: the wire shapes are built by
// the presenters and follow the `@zernio/node` SDK's `Webhook`, `WebhookLog` and `webhooks.*` types.
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { NUMBER_EVENT_TYPES, SUBSCRIBABLE_EVENT_TYPES } from '@numbers/contracts';

export class WebhookDto {
  @ApiProperty() _id!: string;
  @ApiProperty({ maxLength: 50 }) name!: string;
  @ApiProperty({ example: 'https://example.com/hooks/numbers' }) url!: string;
  @ApiPropertyOptional({ description: 'The signing secret: returned once, in the answer to create' }) secret?: string;
  @ApiProperty({ enum: SUBSCRIBABLE_EVENT_TYPES, isArray: true }) events!: string[];
  @ApiProperty({ description: 'false: switched off by its owner, or by the delivery rules (no success for 3 days and 20 failed events in a row)' }) isActive!: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'Last successful delivery' }) lastFiredAt?: string;
  @ApiProperty({ description: 'Events in a row given up after every retry; 0 after a success' }) failureCount!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) customHeaders!: Record<string, string>;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) webhooks!: WebhookDto[];
}

export class WebhookChangedDto {
  @ApiProperty({ example: true }) success!: boolean;
  @ApiProperty({ type: WebhookDto }) webhook!: WebhookDto;
}

export class SuccessDto {
  @ApiProperty({ example: true }) success!: boolean;
}

export class SuccessMessageDto {
  @ApiProperty() success!: boolean;
  @ApiProperty() message!: string;
}

export class WebhookLogDto {
  @ApiProperty() userId!: string;
  @ApiProperty() webhookId!: string;
  @ApiProperty() webhookName!: string;
  @ApiProperty({ description: 'The payload id and X-Zernio-Event-Id: the same on every attempt and redelivery' }) eventId!: string;
  @ApiProperty({ example: 'whatsapp.number.activated' }) event!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: ['success', 'failed'] }) status!: string;
  @ApiPropertyOptional() statusCode?: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) requestPayload!: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The first 4 KB of the answer' }) responseBody?: string;
  @ApiPropertyOptional() errorMessage?: string;
  @ApiProperty() attemptNumber!: number;
  @ApiProperty({ description: 'Milliseconds' }) responseTime!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

class PaginationDto {
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() skip!: number;
  @ApiProperty() pages!: number;
  @ApiProperty() hasMore!: boolean;
}

export class WebhookLogsDto {
  @ApiProperty({ type: [WebhookLogDto] }) logs!: WebhookLogDto[];
  @ApiProperty({ type: PaginationDto }) pagination!: PaginationDto;
}

class EventNumberDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true, example: '+33612345678' }) phoneNumber!: string | null;
  @ApiProperty({ example: 'active' }) status!: string;
  @ApiProperty({ example: 'FR' }) country!: string;
  @ApiProperty() profileId!: string;
  @ApiPropertyOptional({ description: 'On whatsapp.number.declined: why the reviewer declined' }) regulatoryDeclineReason?: string;
}

class EventAccountDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Same as id' }) accountId!: string;
  @ApiProperty() profileId!: string;
}

/** The body of every `whatsapp.number.*` delivery (SPEC "Webhooks out"). */
@ApiSchema({ name: 'WebhookPayloadPhoneNumber' })
export class NumberEventPayloadDto {
  @ApiProperty({ description: 'The event id: X-Zernio-Event-Id, the same on every retry and redelivery' }) id!: string;
  @ApiProperty({ enum: NUMBER_EVENT_TYPES }) event!: string;
  @ApiProperty({ type: EventNumberDto, description: 'The number as it is after the change' }) phoneNumber!: EventNumberDto;
  @ApiProperty({ type: EventAccountDto }) account!: EventAccountDto;
  @ApiProperty({ format: 'date-time', description: 'When the change happened' }) timestamp!: string;
}
