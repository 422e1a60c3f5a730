import { Injectable } from '@nestjs/common';
import type { CustomerEventPayload } from '@numbers/contracts';
import { Database, type Executor } from '../database/database';
import type { CustomerEvent } from '../database/rows';
import { cte } from '../database/cte';
import { customerEventInserts } from './customer-event.inserts';

/** Customer events (`customer_events`): born with the change that causes them, read to redeliver (a delivery reads its event with its endpoint: WebhookDeliveryRepository.findDelivery). */
@Injectable()
export class CustomerEventRepository {
  constructor(private readonly db: Database) {}

  /**
   * Records an event and queues its deliveries, in one statement (so together or not at all), in
   * `tx` when the event is born with a change made there.
   */
  async record(accountId: string, event: CustomerEventPayload, tx?: Executor): Promise<void> {
    await recordCustomerEvent(tx ?? this.db, accountId, event);
  }

  async findForAccount(accountId: string, id: string): Promise<CustomerEvent | null> {
    return (await this.db.selectFrom('customerEvents').selectAll().where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst()) ?? null;
  }
}

/** `CustomerEventRepository.record` for the repositories of the changes that cause events. */
export async function recordCustomerEvent(executor: Executor, accountId: string, event: CustomerEventPayload): Promise<void> {
  const born = customerEventInserts(accountId, event);
  await executor
    .with('customer_event', () => cte(born.event))
    .with('customer_deliveries', () => cte(born.deliveries))
    .selectNoFrom((eb) => eb.lit(1).as('done'))
    .execute();
}
