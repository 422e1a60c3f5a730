import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma/prisma.service';
import { Database } from './database/database';
import { OutboxRepository } from './outbox/outbox.repository';
import { NumberLifecycle } from './lifecycle/number-lifecycle';
import { PhoneNumberRecords } from './numbers/phone-number.records';

@Global()
@Module({
  providers: [Database, PrismaService, OutboxRepository, PhoneNumberRecords, NumberLifecycle],
  exports: [Database, PrismaService, OutboxRepository, PhoneNumberRecords, NumberLifecycle],
})
export class PersistenceModule {}
