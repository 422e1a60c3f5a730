import { Controller, Get, Headers, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { BodyLimit } from '../http/body-limits';
import { KYC_LINK_PAGE_PATH } from './create-kyc-link.use-case';
import { KYC_LINK_FORM_MAX_BYTES, readMultipart } from './kyc-link-form.parser';
import { KycLinkPage } from './kyc-link-page';
import { sendKycPage } from './kyc-link-page.reply';

/**
 * The hosted KYC page (no API key: its token, in the query, is the key). HTML in every answer,
 * errors included (kyc-link-page.reply.ts).
 */
@ApiExcludeController()
@Public()
@Controller(KYC_LINK_PAGE_PATH.slice(1))
export class KycLinkPageController {
  constructor(private readonly page: KycLinkPage) {}

  @Get()
  async show(@Query('token') token: unknown, @Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage: string | undefined, @Res() reply: FastifyReply) {
    void sendKycPage(reply, await this.page.show({ token, lang, acceptLanguage }));
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
    void sendKycPage(reply, await this.page.submit({ token, lang, acceptLanguage }, form, request.id));
  }
}
