import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { PhoneNumber } from '../database/rows';

/** Fields written outside a state change (a state change goes through NumberLifecycle). */
export type NumberFields = Partial<Omit<PhoneNumber, 'id' | 'accountId' | 'status' | 'version' | 'createdAt'>>;

/**
 * The owner of `phone_numbers` rows outside state changes: the whole rows the workers act on,
 * and the fields that are no state change. These reads run several times for every number on
 * its way to active: one statement each, no more.
 */
@Injectable()
export class PhoneNumberRecords {
  constructor(private readonly db: Database) {}

  async byId(id: string, tx?: Tx): Promise<PhoneNumber | null> {
    return (await (tx ?? this.db).selectFrom('phoneNumbers').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** The number a carrier order is for, by the order id we stored. */
  async byTelnyxOrderId(orderId: string, tx?: Tx): Promise<PhoneNumber | null> {
    return (await (tx ?? this.db).selectFrom('phoneNumbers').selectAll().where('telnyxOrderId', '=', orderId).limit(1).executeTakeFirst()) ?? null;
  }

  /** The numbers, not released, that hold one of these E.164 numbers: newest first. */
  async liveByPhoneNumber(phoneNumbers: string[], tx?: Tx): Promise<PhoneNumber[]> {
    if (phoneNumbers.length === 0) return [];
    return (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .selectAll()
      .where(sql<boolean>`phone_number = ANY(${phoneNumbers}::text[])`)
      .where('status', '<>', 'released')
      .orderBy('createdAt', 'desc')
      .execute();
  }

  /** Writes fields that are no state change (ids a provider gave, a request made), without a version bump. */
  async update(id: string, fields: NumberFields, tx?: Tx): Promise<void> {
    await (tx ?? this.db)
      .updateTable('phoneNumbers')
      .set({ ...fields, updatedAt: sql`now()` })
      .where('id', '=', id)
      .execute();
  }
}
