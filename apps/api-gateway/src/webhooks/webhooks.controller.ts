import { Controller, Get, HttpCode, Post, Query, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { WebhookProvider } from '@numbers/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { BodyLimit, WEBHOOK_BODY_LIMIT } from '../http/body-limits';
import { MetaWebhookHandshake } from './meta-webhook.handshake';
import { ReceiveWebhookUseCase } from './receive-webhook.use-case';

type WebhookRequest = RawBodyRequest<FastifyRequest>;

/**
 * The providers' webhooks (SPEC "Webhooks in"): no API key, no /v1 prefix, not in the public
 * API's OpenAPI document. Each answers 200 `{received:true}` once the event is stored (or was
 * already), 400 `INVALID_SIGNATURE`/`INVALID_PAYLOAD` when refused.
 */
@ApiExcludeController()
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly receive: ReceiveWebhookUseCase,
    private readonly meta: MetaWebhookHandshake,
  ) {}

  @Post('stripe')
  @BodyLimit(WEBHOOK_BODY_LIMIT)
  @HttpCode(200)
  stripe(@Req() request: WebhookRequest) {
    return this.handle('stripe', request);
  }

  @Post('telnyx')
  @BodyLimit(WEBHOOK_BODY_LIMIT)
  @HttpCode(200)
  telnyx(@Req() request: WebhookRequest) {
    return this.handle('telnyx', request);
  }

  @Post('meta')
  @BodyLimit(WEBHOOK_BODY_LIMIT)
  @HttpCode(200)
  metaEvents(@Req() request: WebhookRequest) {
    return this.handle('meta', request);
  }

  /** Meta's subscription handshake: echo `hub.challenge` when `hub.verify_token` is META_VERIFY_TOKEN, else 403. */
  @Get('meta')
  metaHandshake(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): string {
    const challenge = this.meta.challengeFor(query);
    // Set only on success: a refusal leaves in the JSON error shape.
    reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');
    return challenge;
  }

  private handle(provider: WebhookProvider, request: WebhookRequest) {
    return this.receive.execute({ provider, rawBody: request.rawBody, headers: request.headers, requestId: request.id });
  }
}
