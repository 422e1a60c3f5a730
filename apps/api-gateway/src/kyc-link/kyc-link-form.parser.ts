import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, invalidParam, KYC_FILE_MAX_BYTES } from '@numbers/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UNAUTHENTICATED_BODY_LIMIT } from '../http/body-limits';
import { KYC_LINK_PAGE_PATH } from './create-kyc-link.use-case';
import { KycLinkPage } from './kyc-link-page';

/** The hosted form's body: up to three documents of 10 MB and the typed fields. */
export const KYC_LINK_FORM_MAX_BYTES = 3 * KYC_FILE_MAX_BYTES + 64 * 1024;

const MULTIPART = 'multipart/form-data';

/**
 * Lets Fastify take the hosted KYC form's `multipart/form-data` body, on that route only, as
 * bytes (how many: the route's limit). They are parsed by the platform's own Fetch `FormData`
 * (readMultipart), so no multipart library is needed. Like a /v1 body and its API key
 * (http/body-limits.ts), a body over UNAUTHENTICATED_BODY_LIMIT is read only once the link's
 * token opens the page: otherwise the answer is 404 NOT_FOUND (as JSON, the page is not
 * rendered before the body) and the body is never read. A small body reaches the page, which
 * answers a closed link with its own 404 or 410 page.
 * Registered while the application initialises, before Fastify is ready.
 */
@Injectable()
export class KycLinkFormParser implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly page: KycLinkPage,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function' || fastify.hasContentTypeParser(MULTIPART)) return;
    fastify.addHook('preParsing', async (request: FastifyRequest, _reply, payload) => {
      if (request.method !== 'POST' || request.routeOptions.url !== KYC_LINK_PAGE_PATH) return payload;
      const declared = request.headers['content-length'] === undefined ? null : Number(request.headers['content-length']);
      if (declared !== null && declared <= UNAUTHENTICATED_BODY_LIMIT) return payload;
      const query = request.query as Record<string, unknown>;
      const closed = await this.page.closed({ token: query['token'], lang: query['lang'], acceptLanguage: request.headers['accept-language'] });
      if (closed) throw new DomainError('NOT_FOUND', 'KYC link not found, used or expired: ask for a new link');
      return payload;
    });
    fastify.addContentTypeParser(MULTIPART, { parseAs: 'buffer' }, (request, body, done) => {
      if (request.routeOptions.url !== KYC_LINK_PAGE_PATH) {
        done(Object.assign(new Error(`Unsupported Media Type: ${MULTIPART}`), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), undefined);
        return;
      }
      done(null, body);
    });
  }
}

/** The form of a request whose body the parser read (400 `body` when it is not a multipart form). */
export async function readMultipart(request: FastifyRequest): Promise<FormData> {
  const contentType = request.headers['content-type'];
  if (!(request.body instanceof Uint8Array) || !contentType?.startsWith(MULTIPART)) {
    throw invalidParam('body', `send the form as ${MULTIPART}`);
  }
  try {
    return await new Response(request.body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw invalidParam('body', `the body is not a valid ${MULTIPART} form`);
  }
}
