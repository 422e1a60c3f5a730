import { Global, Module } from '@nestjs/common';
import { Database } from './database/database';
import { OutboxRepository } from './outbox/outbox.repository';
import { NumberLifecycle } from './lifecycle/number-lifecycle';
import { PhoneNumberRecords } from './numbers/phone-number.records';

@Global()
@Module({
  providers: [Database, OutboxRepository, PhoneNumberRecords, NumberLifecycle],
  exports: [Database, OutboxRepository, PhoneNumberRecords, NumberLifecycle],
})
export class PersistenceModule {}
