import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { ErrorDto } from '../numbers/phone-numbers.dto';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { CreateKycLinkUseCase } from './create-kyc-link.use-case';
import { CreateKycLinkBodyDto } from './kyc-link.params';

export class KycLinkDto {
  @ApiProperty({ description: 'The hosted page to send your end customer', example: 'https://numbers.example/kyc-link?token=kycl_...' }) url!: string;
  @ApiProperty({ description: "The page's only key: shown once, stored as its hash" }) token!: string;
  @ApiProperty({ description: 'After this instant the page answers 410' }) expiresAt!: string;
}

/** Hosted KYC links: the form of a regulated country, filled by the customer's end customer without an API key. */
@ApiKeyEndpoints('whatsapp phone numbers: KYC')
@Controller('v1/whatsapp/phone-numbers')
export class KycLinkController {
  constructor(private readonly createLink: CreateKycLinkUseCase) {}

  @Post('kyc/share')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A hosted KYC page for your end customer',
    description:
      "The country's KYC form on a page of ours, in the language asked (the end customer can switch with ?lang=), with your branding. " +
      'The end customer fills it, uploads the documents and submits once; the number is bought for the profile as with POST .../kyc ' +
      '(on your subscription) and goes to regulatory review. The token opens only this page, once, for 7 days.',
  })
  @ApiOkResponse({ type: KycLinkDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'country unknown or without review, areaCode given, a field malformed (param names it)' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'profileId is not one of your profiles' })
  create(@CurrentAccount() account: AuthenticatedAccount, @Body() body: CreateKycLinkBodyDto) {
    return this.createLink.execute({ ...body, accountId: account.accountId });
  }
}
