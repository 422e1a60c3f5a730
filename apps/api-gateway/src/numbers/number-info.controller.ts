import { Body, Controller, Get, Param, Patch, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { MoveNumberToProfileUseCase } from './move-number-to-profile.use-case';
import { MoveToProfileResponseDto, NumberInfoDto } from './number-info.dto';
import { MoveToProfileBodyDto, MoveToProfileParamsDto, NumberInfoQueryDto } from './number-info.params';
import { NumberInfoQuery } from './number-info.query';
import { ErrorDto } from './phone-numbers.dto';

/** A number's live state at Meta, and the profile it is on. */
@ApiKeyEndpoints('whatsapp phone numbers')
@ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field (param names it)' })
@ApiNotFoundResponse({ type: ErrorDto, description: "Unknown, or another account's number or profile" })
@Controller('v1/whatsapp')
export class NumberInfoController {
  constructor(
    private readonly info: NumberInfoQuery,
    private readonly move: MoveNumberToProfileUseCase,
  ) {}

  @Get('number-info')
  @ApiOperation({
    summary: "The number's live state at Meta",
    description:
      "Read from Meta's Graph API (the phone number: name review, quality, messaging limit tier, throughput, status, platform, health; " +
      'and the WhatsApp Business Account), reused for 30 seconds.',
  })
  @ApiOkResponse({ type: NumberInfoDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'WHATSAPP_NOT_REGISTERED: the number is not on WhatsApp yet' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'META_UNAVAILABLE' })
  numberInfo(@CurrentAccount() account: AuthenticatedAccount, @Query() query: NumberInfoQueryDto, @Req() request: FastifyRequest) {
    return this.info.execute(account.accountId, query.accountId, request.id);
  }

  @Patch('phone-numbers/:id/profile')
  @ApiOperation({ summary: 'Move a number to another profile of the account', description: 'Recorded in the number\'s history (number:history).' })
  @ApiOkResponse({ type: MoveToProfileResponseDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'NUMBER_RELEASED' })
  moveToProfile(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: MoveToProfileParamsDto,
    @Body() body: MoveToProfileBodyDto,
    @Req() request: FastifyRequest,
  ) {
    return this.move.execute(account.accountId, params.id, body.profileId, request.id);
  }
}
