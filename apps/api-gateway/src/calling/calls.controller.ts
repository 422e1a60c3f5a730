import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiFoundResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { IdempotentRequests } from '../idempotency/idempotent-requests';
import { ErrorDto } from '../numbers/phone-numbers.dto';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { CallLogQuery } from './call-log.query';
import { CallRecordingQuery } from './call-recording.query';
import { CallEnvelopeDto, CallListDto, CallPermissionsDto, CallRecordingUrlDto, InitiateCallResponseDto } from './calling.dto';
import { CallIdParamsDto, CallPermissionsQueryDto, CallRecordingQueryDto, InitiateCallBodyDto, ListCallsQueryDto, OptionalAccountQueryDto } from './calling.params';
import { InitiateCallUseCase } from './initiate-call.use-case';

/** WhatsApp calls (SPEC "Calling"): place one or send the consent prompt, the call log (placed and received), recordings, the consumer's permission. */
@ApiKeyEndpoints('whatsapp calling')
@ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field (param names it)' })
@ApiNotFoundResponse({ type: ErrorDto, description: "Unknown, or another account's number or call" })
@Controller('v1/whatsapp')
export class CallsController {
  constructor(
    private readonly initiate: InitiateCallUseCase,
    private readonly log: CallLogQuery,
    private readonly recordings: CallRecordingQuery,
    private readonly idempotent: IdempotentRequests,
  ) {}

  @Post('calls')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Place a WhatsApp call, or send the call-permission prompt',
    description:
      'A call needs the consumer\'s permission (422 CALL_PERMISSION_REQUIRED) and answers at once with status dialing; the carrier ' +
      "then moves it to ringing, answered, ended or failed. action send_call_permission_request (bodyText up to 1024 characters) " +
      'needs an open customer-service window (422 CUSTOMER_SERVICE_WINDOW_CLOSED) and is allowed once per consumer per 24 h and twice ' +
      'per 7 days (429 PERMISSION_REQUEST_DAILY_LIMIT / PERMISSION_REQUEST_WEEKLY_LIMIT), both reset by a connected call. ' +
      'Idempotency-Key replays the first answer (another body: 422 IDEMPOTENCY_KEY_REUSED; still running: 409 IDEMPOTENCY_KEY_IN_FLIGHT).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 255 printable characters; remembered for 24 h' })
  @ApiOkResponse({ type: InitiateCallResponseDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'NUMBER_NOT_ACTIVE, CALLING_NOT_READY, IDEMPOTENCY_KEY_IN_FLIGHT' })
  @ApiUnprocessableEntityResponse({
    type: ErrorDto,
    description: 'CALL_PERMISSION_REQUIRED, CALLING_NOT_ENABLED, OUTBOUND_CALLING_UNAVAILABLE, CUSTOMER_SERVICE_WINDOW_CLOSED, IDEMPOTENCY_KEY_REUSED',
  })
  @ApiTooManyRequestsResponse({ type: ErrorDto, description: 'PERMISSION_REQUEST_DAILY_LIMIT, PERMISSION_REQUEST_WEEKLY_LIMIT (details.retryAt), RATE_LIMITED' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'CALLS_BUSY: calls wait too long to be dialed now; nothing was written, retry after Retry-After' })
  call(
    @CurrentAccount() account: AuthenticatedAccount,
    @Body() body: InitiateCallBodyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.idempotent.respond(request, reply, account.accountId, () => this.initiate.execute(account.accountId, body));
  }

  @Get('calls')
  @ApiOperation({ summary: "A number's calls, newest first, cursor-paged (before = the previous page's nextCursor)" })
  @ApiOkResponse({ type: CallListDto })
  list(@CurrentAccount() account: AuthenticatedAccount, @Query() query: ListCallsQueryDto) {
    return this.log.list(account.accountId, query);
  }

  @Get('calls/:id')
  @ApiOperation({ summary: 'One call' })
  @ApiOkResponse({ type: CallEnvelopeDto })
  get(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: CallIdParamsDto,
    @Query() query: OptionalAccountQueryDto,
  ) {
    return this.log.get(account.accountId, params.id, query.accountId);
  }

  @Get('calls/:id/recording')
  @ApiOperation({
    summary: "A call's recording: a 302 to a short-lived URL, or {url} with as=json",
    description: 'Calls of a number with recordingEnabled are recorded from the answer. 404 while there is no recording (not recorded, or not saved yet).',
  })
  @ApiFoundResponse({ description: 'Location: the recording (MP3), valid for a few minutes' })
  @ApiOkResponse({ type: CallRecordingUrlDto, description: 'With as=json' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'CARRIER_UNAVAILABLE' })
  async recording(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param() params: CallIdParamsDto,
    @Query() query: CallRecordingQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const url = await this.recordings.urlOf(account.accountId, params.id, query.accountId, String(request.id));
    // The URL expires: no cache may keep it.
    reply.header('cache-control', 'no-store');
    if (query.as === 'json') await reply.send({ url });
    else await reply.redirect(url, 302);
  }

  @Get('call-permissions')
  @ApiOperation({ summary: "A consumer's call permission and what may be done now (Meta's call_permissions shape)" })
  @ApiOkResponse({ type: CallPermissionsDto })
  permissions(@CurrentAccount() account: AuthenticatedAccount, @Query() query: CallPermissionsQueryDto) {
    return this.log.permissionsOf(account.accountId, query);
  }
}
