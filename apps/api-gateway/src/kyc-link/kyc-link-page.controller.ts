import { Controller, Get, Headers, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { BodyLimit } from '../http/body-limits';
import { KYC_LINK_PAGE_PATH } from './create-kyc-link.use-case';
import { KYC_LINK_FORM_MAX_BYTES, readMultipart } from './kyc-link-form.parser';
import { KycLinkPage, type KycPageAnswer } from './kyc-link-page';

/**
 * The hosted KYC page (no API key: its token, in the query, is the key). HTML in every answer,
 * errors included; the page loads nothing of ours but itself, and sends no Referer (the URL
 * holds the token).
 */
@ApiExcludeController()
@Public()
@Controller(KYC_LINK_PAGE_PATH.slice(1))
export class KycLinkPageController {
  constructor(private readonly page: KycLinkPage) {}

  @Get()
  async show(@Query('token') token: unknown, @Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    send(reply, await this.page.show({ token, lang, acceptLanguage }));
  }

  @Post()
  @BodyLimit(KYC_LINK_FORM_MAX_BYTES)
  async submit(
    @Query('token') token: unknown,
    @Query('lang') lang: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const form = await readMultipart(request);
    send(reply, await this.page.submit({ token, lang, acceptLanguage }, form, request.id));
  }
}

function send(reply: FastifyReply, answer: KycPageAnswer): void {
  reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'");
  // 303: the browser follows with a GET, so a reload does not post the form again.
  if (answer.kind === 'redirect') void reply.status(303).header('location', answer.location).send();
  else void reply.status(answer.status).header('content-type', 'text/html; charset=utf-8').send(answer.html);
}
