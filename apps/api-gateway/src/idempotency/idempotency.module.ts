import { Module } from '@nestjs/common';
import { IdempotencyRepository } from '@numbers/persistence';
import { IdempotentRequests } from './idempotent-requests';

/** `Idempotency-Key` for the POSTs that create something (purchase, calls). */
@Module({
  providers: [IdempotencyRepository, IdempotentRequests],
  exports: [IdempotentRequests],
})
export class IdempotencyModule {}
