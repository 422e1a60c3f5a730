import { Controller, Delete, Get, HttpCode, Param, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentAccount } from '../auth/current-account.decorator';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { GetPhoneNumberQuery } from './get-phone-number.query';
import { ListCountriesQuery } from './list-countries.query';
import { ListPhoneNumbersQuery } from './list-phone-numbers.query';
import { ListPhoneNumbersQueryDto, PhoneNumberIdParamsDto } from './phone-numbers.params';
import { CountryListDto, ErrorDto, PhoneNumberEnvelopeDto, PhoneNumberListDto, ReleaseResponseDto } from './phone-numbers.dto';
import { ReleasePhoneNumberUseCase } from './release-phone-number.use-case';

@ApiKeyEndpoints('whatsapp phone numbers')
@Controller('v1/whatsapp/phone-numbers')
export class PhoneNumbersController {
  constructor(
    private readonly listNumbers: ListPhoneNumbersQuery,
    private readonly getNumber: GetPhoneNumberQuery,
    private readonly listCountries: ListCountriesQuery,
    private readonly releaseNumber: ReleasePhoneNumberUseCase,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List phone numbers',
    description:
      'Default: every number but released ones. status=pending_regulatory is the provisioning view: numbers in review plus ' +
      'numbers declined in the last 30 days. status=released is the only way to see released numbers. `connected` is filled ' +
      'on the default and status=active views only; `sandbox` is on every view.',
  })
  @ApiOkResponse({ type: PhoneNumberListDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Unknown status or malformed profileId (param names it)' })
  list(
    @CurrentAccount() account: AuthenticatedAccount,
    @Query() query: ListPhoneNumbersQueryDto,
  ) {
    return this.listNumbers.execute({ accountId: account.accountId, status: query.status, profileId: query.profileId });
  }

  // A static path: the router prefers it to /:phoneNumberId whatever the declaration order.
  @Get('countries')
  @ApiOperation({ summary: 'Countries numbers can be bought in' })
  @ApiOkResponse({ type: CountryListDto })
  countries() {
    return this.listCountries.execute();
  }

  @Get(':phoneNumberId')
  @ApiOperation({ summary: 'One phone number' })
  @ApiOkResponse({ type: PhoneNumberEnvelopeDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed phoneNumberId' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown, or another account\'s number' })
  get(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: PhoneNumberIdParamsDto,
  ) {
    return this.getNumber.execute({ accountId: account.accountId, phoneNumberId: params.phoneNumberId });
  }

  @Delete(':phoneNumberId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Release a phone number',
    description: 'Answers at once with status releasing; the number is deregistered and deleted in the background.',
  })
  @ApiOkResponse({ type: ReleaseResponseDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed phoneNumberId' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown, or another account\'s number' })
  @ApiConflictResponse({ type: ErrorDto, description: 'Already released (code NUMBER_RELEASED)' })
  release(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: PhoneNumberIdParamsDto,
    @Req() request: FastifyRequest,
  ) {
    return this.releaseNumber.execute({
      accountId: account.accountId,
      phoneNumberId: params.phoneNumberId,
      requestId: request.id,
    });
  }
}
