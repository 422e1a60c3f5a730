import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { ErrorDto } from '../numbers/phone-numbers.dto';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { CallingSettingsDto, DisableCallingResponseDto, EnableCallingResponseDto } from './calling.dto';
import { AccountQueryDto, EnableCallingBodyDto, NumberIdParamsDto, OptionalAccountQueryDto, UpdateCallingBodyDto } from './calling.params';
import { CallingSettingsService } from './calling-settings.service';

const CURRENT = 'v1/phone-numbers/:id/whatsapp/calling';
const LEGACY = 'v1/whatsapp/phone-numbers/:id/calling';

/**
 * WhatsApp calling on a number: `/v1/phone-numbers/{id}/whatsapp/calling` and the SDK's legacy
 * paths (`/v1/whatsapp/phone-numbers/{id}/calling`, `GET /v1/whatsapp/calling?accountId=`).
 */
@ApiKeyEndpoints('whatsapp calling')
@ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field (param names it)' })
@ApiNotFoundResponse({ type: ErrorDto, description: "Unknown, or another account's number" })
@Controller()
export class CallingSettingsController {
  constructor(private readonly settings: CallingSettingsService) {}

  @Get(CURRENT)
  @ApiOperation({ summary: 'WhatsApp calling settings of a number (never a secret)' })
  @ApiOkResponse({ type: CallingSettingsDto })
  get(@CurrentAccount() account: AuthenticatedAccount, @Param() params: NumberIdParamsDto) {
    return this.settings.get(account.accountId, params.id);
  }

  @Post([CURRENT, LEGACY])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enable WhatsApp calling on an active number',
    description:
      "Answers at once (callingStatus enabling); the calling worker turns calling on at Meta (SIP to our carrier), stores Meta's " +
      'SIP credentials sealed, and routes the number at the carrier (callingStatus enabled).',
  })
  @ApiOkResponse({ type: EnableCallingResponseDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'NUMBER_NOT_ACTIVE' })
  enable(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: NumberIdParamsDto,
    @Body() body: EnableCallingBodyDto,
  ) {
    return this.settings.enable(account.accountId, params.id, body);
  }

  @Patch([CURRENT, LEGACY])
  @ApiOperation({ summary: 'Change calling settings (forwardTo, recording, SIP auth of the forward, ...)' })
  @ApiOkResponse({ type: CallingSettingsDto })
  @ApiUnprocessableEntityResponse({ type: ErrorDto, description: 'CALLING_NOT_ENABLED' })
  update(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: NumberIdParamsDto,
    @Body() body: UpdateCallingBodyDto,
  ) {
    return this.settings.update(account.accountId, params.id, body);
  }

  @Delete([CURRENT, LEGACY])
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable WhatsApp calling (at Meta and the carrier, in the background)' })
  @ApiOkResponse({ type: DisableCallingResponseDto })
  disable(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: NumberIdParamsDto,
    @Query() query: OptionalAccountQueryDto,
  ) {
    return this.settings.disable(account.accountId, params.id, query.accountId);
  }

  @Get('v1/whatsapp/calling')
  @ApiOperation({ summary: 'WhatsApp calling settings of a number (legacy: the number as accountId)' })
  @ApiOkResponse({ type: CallingSettingsDto })
  getLegacy(@CurrentAccount() account: AuthenticatedAccount, @Query() query: AccountQueryDto) {
    return this.settings.getLegacy(account.accountId, query.accountId);
  }
}
