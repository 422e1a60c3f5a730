import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { KYC_FILE_MAX_BYTES } from '@numbers/domain';
import type { FastifyInstance } from 'fastify';

/** The content types a KYC document may be uploaded as (the file's bytes decide what it really is). */
export const KYC_UPLOAD_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];

/**
 * Lets Fastify take a raw file as a request body (`POST .../kyc/upload-document`): the upload
 * content types are read as a Buffer, up to 10 MB (JSON bodies keep the gateway's 1 MB limit).
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
      fastify.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: KYC_FILE_MAX_BYTES }, (_request, body, done) => done(null, body));
    }
  }
}
