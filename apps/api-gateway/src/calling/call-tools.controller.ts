import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { ErrorDto } from '../numbers/phone-numbers.dto';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { CallEstimateQueryDto } from './call-estimate.params';
import { CallEstimateQuery } from './call-estimate.query';
import { CallEstimateDto, StartCallerIdResponseDto, VerifyCallerIdResponseDto } from './call-tools.dto';
import { StartCallerIdBodyDto, VerifyCallerIdBodyDto } from './caller-id.params';
import { CallerIdService } from './caller-id.service';
import { NumberIdParamsDto } from './calling.params';

const CALLER_ID = 'v1/phone-numbers/:id/whatsapp/caller-id-verification';

/** Before calling: what a call would cost, and the number's caller ID at the carrier. */
@ApiKeyEndpoints('whatsapp calling')
@ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field (param names it)' })
@ApiNotFoundResponse({ type: ErrorDto, description: "Unknown, or another account's number" })
@Controller()
export class CallToolsController {
  constructor(
    private readonly estimates: CallEstimateQuery,
    private readonly callerId: CallerIdService,
  ) {}

  @Get('v1/whatsapp/calls/estimate')
  @ApiOperation({
    summary: 'What a business-initiated call would cost',
    description:
      "From the per-minute rates of the consumer's country (reference data): Meta's part (billed by Meta to your WhatsApp Business " +
      'Account), the carrier leg and the recording (billed by us). Meta counts six-second pulses.',
  })
  @ApiOkResponse({ type: CallEstimateDto })
  estimate(@CurrentAccount() account: AuthenticatedAccount, @Query() query: CallEstimateQueryDto) {
    return this.estimates.execute(account.accountId, query);
  }

  @Post(CALLER_ID)
  @HttpCode(200)
  @ApiOperation({ summary: "Start caller-ID verification: the carrier sends a code to the number (SMS or call)", description: 'Each request sends a new code; verified: true (no code) when the carrier has the number verified already.' })
  @ApiOkResponse({ type: StartCallerIdResponseDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'NUMBER_NOT_ACTIVE' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'CARRIER_UNAVAILABLE' })
  start(@CurrentAccount() account: AuthenticatedAccount, @Param() params: NumberIdParamsDto, @Body() body: StartCallerIdBodyDto, @Req() request: FastifyRequest) {
    return this.callerId.start(account.accountId, params.id, body.method, request.id);
  }

  @Post(`${CALLER_ID}/verify`)
  @HttpCode(200)
  @ApiOperation({ summary: 'Finish caller-ID verification with the code the number received', description: 'A wrong, expired or used code is 400 naming code.' })
  @ApiOkResponse({ type: VerifyCallerIdResponseDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'NUMBER_NOT_ACTIVE' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'CARRIER_UNAVAILABLE' })
  verify(@CurrentAccount() account: AuthenticatedAccount, @Param() params: NumberIdParamsDto, @Body() body: VerifyCallerIdBodyDto, @Req() request: FastifyRequest) {
    return this.callerId.verify(account.accountId, params.id, body.code, request.id);
  }
}
