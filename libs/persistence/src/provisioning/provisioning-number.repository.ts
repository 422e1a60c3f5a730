import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { Database, type Tx } from '../database/database';
import { OutboxRepository } from '../outbox/outbox.repository';

/**
 * What the provisioning worker queues for a number besides a state change's own jobs. The
 * number's reads and field writes are PhoneNumberRecords'; state changes go through NumberLifecycle.
 */
@Injectable()
export class ProvisioningNumberRepository {
  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
  ) {}

  /** Queues `order-number` for the number again (in `tx` when given): another pick, another order. */
  async orderAgain(numberId: string, tx?: Tx): Promise<void> {
    await this.outbox.add(tx ?? this.db, [jobRequest('order-number', { numberId })]);
  }
}
