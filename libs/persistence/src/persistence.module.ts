import { Global, Module } from '@nestjs/common';
import { Database } from './database/database';
import { OutboxRepository } from './outbox/outbox.repository';
import { NumberLifecycle } from './lifecycle/number-lifecycle';
import { PhoneNumberRecords } from './numbers/phone-number.records';
import { AccountNumberRecords } from './numbers/account-number.records';
import { KycVault } from './kyc/kyc-vault';
import { SealedSecretRepository } from './sealing/sealed-secret.repository';

@Global()
@Module({
  providers: [Database, OutboxRepository, PhoneNumberRecords, AccountNumberRecords, NumberLifecycle, KycVault, SealedSecretRepository],
  exports: [Database, OutboxRepository, PhoneNumberRecords, AccountNumberRecords, NumberLifecycle, KycVault, SealedSecretRepository],
})
export class PersistenceModule {}
