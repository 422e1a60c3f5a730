import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { ErrorDto } from '../numbers/phone-numbers.dto';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import {
  CreateWebhookBodyDto,
  DeleteWebhookQueryDto,
  RedeliverBodyDto,
  TestWebhookBodyDto,
  UpdateWebhookBodyDto,
  WebhookLogsQueryDto,
} from './customer-webhooks.params';
import { NumberEventPayloadDto, SuccessDto, SuccessMessageDto, WebhookChangedDto, WebhookListDto, WebhookLogsDto } from './customer-webhooks.dto';
import { RedeliverWebhookEventUseCase } from './redeliver-webhook-event.use-case';
import { TestWebhookUseCase } from './test-webhook.use-case';
import { WebhookLogsQueryHandler } from './webhook-logs.query';
import { WebhookSettingsService } from './webhook-settings.service';

/** Webhooks to customers (SPEC "Webhooks out"): the SDK's `webhooks.*`. */
@ApiKeyEndpoints('webhooks')
@ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field (param names it)' })
@ApiExtraModels(NumberEventPayloadDto)
@Controller('v1/webhooks')
export class CustomerWebhooksController {
  constructor(
    private readonly settings: WebhookSettingsService,
    private readonly testWebhook: TestWebhookUseCase,
    private readonly redeliver: RedeliverWebhookEventUseCase,
    private readonly logs: WebhookLogsQueryHandler,
  ) {}

  @Get('settings')
  @ApiOperation({ summary: "The account's webhook endpoints (never their secrets)" })
  @ApiOkResponse({ type: WebhookListDto })
  list(@CurrentAccount() account: AuthenticatedAccount) {
    return this.settings.list(account.accountId);
  }

  @Post('settings')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add an endpoint',
    description:
      'The secret (generated when absent) is returned once, here; deliveries are signed with it (X-Zernio-Signature: ' +
      'sha256=HMAC-SHA256(secret, "<X-Zernio-Timestamp>.<raw body>")). Number events carry the WebhookPayloadPhoneNumber ' +
      'body (components.schemas); call events the SDK\'s WebhookPayloadCall* bodies.',
  })
  @ApiOkResponse({ type: WebhookChangedDto })
  create(@CurrentAccount() account: AuthenticatedAccount, @Body() body: CreateWebhookBodyDto) {
    return this.settings.create(account.accountId, body);
  }

  @Put('settings')
  @ApiOperation({ summary: 'Change an endpoint (webhookId); isActive: true re-enables one the delivery rules disabled' })
  @ApiOkResponse({ type: WebhookChangedDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: "Unknown, or another account's webhook" })
  update(@CurrentAccount() account: AuthenticatedAccount, @Body() body: UpdateWebhookBodyDto) {
    return this.settings.update(account.accountId, body);
  }

  @Delete('settings')
  @ApiOperation({ summary: 'Delete an endpoint (webhookId): it receives nothing more, queued deliveries included' })
  @ApiOkResponse({ type: SuccessDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: "Unknown, or another account's webhook" })
  delete(@CurrentAccount() account: AuthenticatedAccount, @Query() query: DeleteWebhookQueryDto) {
    return this.settings.delete(account.accountId, query.webhookId);
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send one webhook.test delivery now', description: 'The outcome is in the answer (success false: the endpoint did not take it) and in the logs.' })
  @ApiOkResponse({ type: SuccessMessageDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: "Unknown, or another account's webhook" })
  test(@CurrentAccount() account: AuthenticatedAccount, @Body() body: TestWebhookBodyDto) {
    return this.testWebhook.execute(account.accountId, body.webhookId);
  }

  @Get('logs')
  @ApiOperation({ summary: 'Delivery attempts of the last 30 days, newest first' })
  @ApiOkResponse({ type: WebhookLogsDto })
  listLogs(@CurrentAccount() account: AuthenticatedAccount, @Query() query: WebhookLogsQueryDto) {
    return this.logs.execute(account.accountId, query);
  }

  @Post('logs/redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deliver an event to an endpoint again, with the same event id' })
  @ApiOkResponse({ type: SuccessMessageDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: "Unknown webhook or event, or another account's" })
  @ApiConflictResponse({ type: ErrorDto, description: 'WEBHOOK_DISABLED' })
  redeliverEvent(@CurrentAccount() account: AuthenticatedAccount, @Body() body: RedeliverBodyDto) {
    return this.redeliver.execute(account.accountId, body.webhookId, body.eventId);
  }
}
