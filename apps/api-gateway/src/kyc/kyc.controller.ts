import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { checkKycAddress, DomainError, KYC_FILE_MAX_BYTES } from '@numbers/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { BodyLimit } from '../http/body-limits';
import { IdempotentRequests } from '../idempotency/idempotent-requests';
import { ErrorDto } from '../numbers/phone-numbers.dto';
import { PhoneNumberIdParamsDto } from '../numbers/phone-numbers.params';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { KYC_UPLOAD_CONTENT_TYPES } from './kyc-document-body.parser';
import { KycDocuments } from './kyc-documents';
import { KycFormQuery } from './kyc-form.query';
import { KycFormDto, RemediateResponseDto, RemediationDto, SubmitKycResponseDto, UploadedDocumentDto, ValidateAddressDto } from './kyc.dto';
import { KycFormQueryDto, RemediateBodyDto, SubmitKycBodyDto, ValidateAddressBodyDto, X_FILENAME } from './kyc.params';
import { RemediateNumberUseCase } from './remediate-number.use-case';
import { RemediationQuery } from './remediation.query';
import { SubmitKycUseCase } from './submit-kyc.use-case';

/** Countries that need identity review: the KYC form, its documents and address check, the submission, and remediation after a decline. */
@ApiKeyEndpoints('whatsapp phone numbers: KYC')
@Controller('v1/whatsapp/phone-numbers')
export class KycController {
  constructor(
    private readonly form: KycFormQuery,
    private readonly submitKyc: SubmitKycUseCase,
    private readonly documents: KycDocuments,
    private readonly remediation: RemediationQuery,
    private readonly remediate: RemediateNumberUseCase,
    private readonly idempotent: IdempotentRequests,
  ) {}

  @Get('kyc')
  @ApiOperation({ summary: 'The KYC form of a country that needs identity review', description: 'Its fields, the approved verifications of the account it may reuse, and whether a number is in review there.' })
  @ApiOkResponse({ type: KycFormDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'country unknown or without review, numberType not sold there, profileId malformed (param names it)' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'profileId is not one of your profiles' })
  getForm(@CurrentAccount() account: AuthenticatedAccount, @Query() query: KycFormQueryDto) {
    return this.form.execute({ accountId: account.accountId, ...query });
  }

  @Post('kyc')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit KYC and buy a number in a regulated country',
    description:
      'Paid first like any purchase (first number: checkoutUrl; later numbers: on the subscription), then reviewed by the carrier ' +
      '(pending_regulatory); approved, it is ordered and activated. submissionId makes a retry answer kyc_already_submitted. ' +
      'An Idempotency-Key header replays the first answer (another body: 422 IDEMPOTENCY_KEY_REUSED; still running: 409 IDEMPOTENCY_KEY_IN_FLIGHT).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 255 printable characters; remembered for 24 h' })
  @ApiOkResponse({ type: SubmitKycResponseDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A field missing or wrong: param names the first, details.issues every one' })
  @ApiForbiddenResponse({ type: ErrorDto, description: 'PLAN_FORBIDS_NUMBERS or PLAN_LIMIT_REACHED' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'profileId is not one of your profiles' })
  @ApiConflictResponse({ type: ErrorDto, description: 'PURCHASE_VELOCITY, COUNTRY_OUT_OF_STOCK, CHECKOUT_PENDING, KYC_REUSE_NOT_FOUND, IDEMPOTENCY_KEY_IN_FLIGHT' })
  @ApiUnprocessableEntityResponse({ type: ErrorDto, description: 'IDEMPOTENCY_KEY_REUSED' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'PAYMENTS_UNAVAILABLE or CARRIER_UNAVAILABLE: nothing was bought, retry' })
  submit(
    @CurrentAccount() account: AuthenticatedAccount,
    @Body() body: SubmitKycBodyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.idempotent.respond(request, reply, account.accountId, () => this.submitKyc.execute({ ...body, accountId: account.accountId, requestId: request.id }));
  }

  @Post('kyc/upload-document')
  @BodyLimit(KYC_FILE_MAX_BYTES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Upload a KYC document', description: 'The raw file as the body (PDF, JPG, PNG or WEBP, at most 10 MB), its URL-encoded name in X-Filename.' })
  @ApiConsumes(...KYC_UPLOAD_CONTENT_TYPES)
  @ApiHeader({ name: 'X-Filename', required: true, description: 'URL-encoded original file name' })
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: UploadedDocumentDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'No file, not a PDF/JPG/PNG/WEBP, not the type its Content-Type declares, or X-Filename missing (param names it)' })
  @ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'Larger than 10 MB' })
  upload(@CurrentAccount() account: AuthenticatedAccount, @Headers(X_FILENAME) filename: string | undefined, @Req() request: FastifyRequest) {
    return this.documents.upload(account.accountId, filename, request.headers['content-type'], request.body);
  }

  @Post('kyc/validate-address')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check an address before submitting it',
    description: 'The fields a carrier needs and their formats; with administrative_area, also that it is a region of the country that matches the postal code.',
  })
  @ApiOkResponse({ type: ValidateAddressDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'param names the field; details.addressSuggestions what may have been meant' })
  validateAddress(@Body() body: ValidateAddressBodyDto) {
    const { country, ...address } = body;
    const { issues, regionChecked } = checkKycAddress({ ...address, country_code: country }, { localTo: null, countryField: 'country' });
    if (issues.length > 0) {
      const [first] = issues;
      throw new DomainError('VALIDATION_FAILED', `Invalid ${first.param}: ${first.message}`, {
        param: first.param,
        details: { addressSuggestions: issues.flatMap((issue) => issue.suggestions ?? []), issues: issues.map(({ param, message }) => ({ param, message })) },
      });
    }
    return { ok: true, skipped: !regionChecked };
  }

  @Get(':phoneNumberId/remediate')
  @ApiOperation({ summary: 'What the regulator declined', description: 'The reason and the fields to correct, for a number in regulatory_declined.' })
  @ApiOkResponse({ type: RemediationDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Not one of your numbers' })
  @ApiConflictResponse({ type: ErrorDto, description: 'NUMBER_NOT_DECLINED, KYC_CASE_MISSING' })
  getRemediation(@CurrentAccount() account: AuthenticatedAccount, @Param() params: PhoneNumberIdParamsDto) {
    return this.remediation.execute(account.accountId, params.phoneNumberId);
  }

  @Post(':phoneNumberId/remediate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Correct a declined submission',
    description: 'Only the declined fields, every one of them. The same requirement group is reviewed again (pending_regulatory): no new number, no new charge.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 255 printable characters; remembered for 24 h' })
  @ApiOkResponse({ type: RemediateResponseDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A declined field missing, or a field wrong or not declined: param names the first, details.issues every one' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Not one of your numbers' })
  @ApiConflictResponse({ type: ErrorDto, description: 'NUMBER_NOT_DECLINED, KYC_CASE_MISSING, IDEMPOTENCY_KEY_IN_FLIGHT' })
  @ApiUnprocessableEntityResponse({ type: ErrorDto, description: 'IDEMPOTENCY_KEY_REUSED' })
  remediateNumber(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: PhoneNumberIdParamsDto,
    @Body() body: RemediateBodyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.idempotent.respond(request, reply, account.accountId, () =>
      this.remediate.execute({ ...body, accountId: account.accountId, phoneNumberId: params.phoneNumberId, requestId: request.id }),
    );
  }
}
