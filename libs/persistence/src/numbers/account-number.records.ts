import { Injectable } from '@nestjs/common';
import type { NumberStatus } from '@numbers/contracts';
import { Database, type Tx } from '../database/database';

/**
 * An account's `phone_numbers` in bulk, through (account_id, status, ...): which of them are in
 * some states, and their prices. One number's row: PhoneNumberRecords.
 */
@Injectable()
export class AccountNumberRecords {
  constructor(private readonly db: Database) {}

  /** The ids of the account's numbers in (or, with `not`, out of) these statuses, in id order. */
  async idsOf(accountId: string, statuses: readonly NumberStatus[], options: { not?: boolean } = {}, tx?: Tx): Promise<string[]> {
    const rows = await (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .select('id')
      .where('accountId', '=', accountId)
      .where('status', options.not ? 'not in' : 'in', [...statuses])
      .orderBy('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /** Each of the account's numbers' monthly price, by id. */
  async monthlyCentsOf(accountId: string, tx?: Tx): Promise<Map<string, number>> {
    const rows = await (tx ?? this.db).selectFrom('phoneNumbers').select(['id', 'monthlyCents']).where('accountId', '=', accountId).execute();
    return new Map(rows.map((row) => [row.id, row.monthlyCents]));
  }

  /** Whether the account has a number of this country in review (`pending_regulatory`). */
  async hasPendingReview(accountId: string, country: string, tx?: Tx): Promise<boolean> {
    const found = await (tx ?? this.db)
      .selectFrom('phoneNumbers')
      .select('id')
      .where('accountId', '=', accountId)
      .where('country', '=', country)
      .where('status', '=', 'pending_regulatory')
      .limit(1)
      .executeTakeFirst();
    return found !== undefined;
  }
}
