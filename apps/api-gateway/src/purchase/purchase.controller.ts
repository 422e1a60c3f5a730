import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { IdempotentRequests } from '../idempotency/idempotent-requests';
import { ErrorDto } from '../numbers/phone-numbers.dto';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { CheckNumberAvailabilityQuery } from './check-number-availability.query';
import { AlreadyPurchasedDto, AvailabilityDto, AvailableNumbersDto, CheckoutStartedDto, KycRequiredDto, PurchasedNumberDto } from './purchase.dto';
import { AvailabilityQueryDto, PurchaseBodyDto, SearchAvailableQueryDto } from './purchase.params';
import { PurchasePhoneNumberUseCase } from './purchase-phone-number.use-case';
import { SearchAvailableNumbersQuery } from './search-available-numbers.query';

// Static paths: the router prefers them to /:phoneNumberId whatever the declaration order.
@ApiKeyEndpoints('whatsapp phone numbers')
@ApiExtraModels(CheckoutStartedDto, PurchasedNumberDto, AlreadyPurchasedDto)
@Controller('v1/whatsapp/phone-numbers')
export class PurchaseController {
  constructor(
    private readonly purchaseNumber: PurchasePhoneNumberUseCase,
    private readonly searchNumbers: SearchAvailableNumbersQuery,
    private readonly checkAvailability: CheckNumberAvailabilityQuery,
    private readonly idempotent: IdempotentRequests,
  ) {}

  @Post('purchase')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Buy a phone number',
    description:
      'First number: a Stripe Checkout URL (the number is provisioned once paid). Later numbers: added to the subscription ' +
      'and provisioned at once. A purchaseIntentId already used answers already_purchased and buys nothing (a first number ' +
      'whose Checkout could not be created nor the purchase undone answers its checkoutUrl instead). Countries that ' +
      'need identity review answer 202 kyc_required. An Idempotency-Key header replays the first answer to a retry ' +
      '(another body under the same key: 422 IDEMPOTENCY_KEY_REUSED; the first still running: 409 IDEMPOTENCY_KEY_IN_FLIGHT).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 255 printable characters; remembered for 24 h' })
  @ApiOkResponse({
    schema: { oneOf: [CheckoutStartedDto, PurchasedNumberDto, AlreadyPurchasedDto].map((dto) => ({ $ref: getSchemaPath(dto) })) },
  })
  @ApiAcceptedResponse({ type: KycRequiredDto, description: 'The country needs KYC first: complete it at kycUrl' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid body field, or a country we do not sell in (param names it)' })
  @ApiForbiddenResponse({ type: ErrorDto, description: 'Plan without numbers (PLAN_FORBIDS_NUMBERS) or at its limit (PLAN_LIMIT_REACHED)' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'profileId is not one of your profiles (param profileId)' })
  @ApiConflictResponse({
    type: ErrorDto,
    description:
      'PURCHASE_VELOCITY, COUNTRY_OUT_OF_STOCK, PHONE_NUMBER_UNAVAILABLE, CHECKOUT_PENDING (first checkout unpaid), or IDEMPOTENCY_KEY_IN_FLIGHT',
  })
  @ApiUnprocessableEntityResponse({ type: ErrorDto, description: 'IDEMPOTENCY_KEY_REUSED: the key was first used with another body' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'PAYMENTS_UNAVAILABLE or CARRIER_UNAVAILABLE: nothing was bought, retry' })
  async purchase(
    @CurrentAccount() account: AuthenticatedAccount,
    @Body() body: PurchaseBodyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.idempotent.respond(request, reply, account.accountId, () =>
      this.purchaseNumber.execute({
        accountId: account.accountId,
        profileId: body.profileId,
        country: body.country,
        phoneNumber: body.phoneNumber,
        purchaseIntentId: body.purchaseIntentId,
        allowMultiple: body.allowMultiple,
        requestId: request.id,
      }),
    );
  }

  @Get('available')
  @ApiOperation({ summary: 'Search numbers that can be bought now (carrier inventory)' })
  @ApiOkResponse({ type: AvailableNumbersDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid parameter (param names it)' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'CARRIER_UNAVAILABLE' })
  available(@Query() query: SearchAvailableQueryDto, @Req() request: FastifyRequest) {
    return this.searchNumbers.execute(query, request.id);
  }

  @Get('availability')
  @ApiOperation({ summary: 'Whether a country (and type) has numbers now, by area' })
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid parameter (param names it)' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'CARRIER_UNAVAILABLE' })
  availability(@Query() query: AvailabilityQueryDto, @Req() request: FastifyRequest) {
    return this.checkAvailability.execute(query, request.id);
  }
}
