import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma/prisma.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { NumberLifecycle } from './lifecycle/number-lifecycle';

@Global()
@Module({
  providers: [PrismaService, OutboxRepository, NumberLifecycle],
  exports: [PrismaService, OutboxRepository, NumberLifecycle],
})
export class PersistenceModule {}
