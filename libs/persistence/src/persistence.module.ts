import { Global, Module } from '@nestjs/common';
import { Database } from './database/database';
import { OutboxRepository } from './outbox/outbox.repository';
import { NumberLifecycle } from './lifecycle/number-lifecycle';
import { PhoneNumberRecords } from './numbers/phone-number.records';
import { AccountNumberRecords } from './numbers/account-number.records';

@Global()
@Module({
  providers: [Database, OutboxRepository, PhoneNumberRecords, AccountNumberRecords, NumberLifecycle],
  exports: [Database, OutboxRepository, PhoneNumberRecords, AccountNumberRecords, NumberLifecycle],
})
export class PersistenceModule {}
