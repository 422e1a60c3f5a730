import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { invalidParam, KYC_FILE_MAX_BYTES } from '@numbers/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KYC_LINK_PAGE_PATH } from './create-kyc-link.use-case';

/** The hosted form's body: up to three documents of 10 MB and the typed fields. */
export const KYC_LINK_FORM_MAX_BYTES = 3 * KYC_FILE_MAX_BYTES + 64 * 1024;

const MULTIPART = 'multipart/form-data';

/**
 * Lets Fastify take the hosted KYC form's `multipart/form-data` body, on that route only, as
 * bytes (how many: the route's limit). They are parsed by the platform's own Fetch `FormData`
 * (readMultipart), so no multipart library is needed. Registered while the application
 * initialises, before Fastify is ready.
 */
@Injectable()
export class KycLinkFormParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function' || fastify.hasContentTypeParser(MULTIPART)) return;
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
