import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** The content types a KYC document may be uploaded as (the file's bytes decide what it really is). */
export const KYC_UPLOAD_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];

/**
 * Lets Fastify take a raw file as a request body (`POST .../kyc/upload-document`): the upload
 * content types are read as a Buffer. How much is read is the route's limit (http/body-limits.ts):
 * 10 MB on the upload route only, and only once the caller's key is known.
 * Registered while the application initialises, before Fastify is ready.
 */
@Injectable()
export class KycDocumentBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function') return;
    for (const type of KYC_UPLOAD_CONTENT_TYPES) {
      if (fastify.hasContentTypeParser(type)) continue;
      fastify.addContentTypeParser(type, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    }
  }
}
