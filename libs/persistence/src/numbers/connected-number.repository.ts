import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '../database/database';

/** A bring-your-own WhatsApp number: never billed, no lifecycle. */
export interface ConnectedNumberRow {
  id: string;
  socialAccountId: string;
  phoneNumber: string;
  displayName: string | null;
  profileId: string;
  callingEnabled: boolean;
  connectedAt: Date;
}

@Injectable()
export class ConnectedNumberRepository {
  constructor(private readonly db: Database) {}

  /** The account's connected numbers (of one profile when given), newest first, through (account_id, profile_id). */
  listForAccount(filter: { accountId: string; profileId?: string }, tx?: Tx): Promise<ConnectedNumberRow[]> {
    return (tx ?? this.db)
      .selectFrom('connectedNumbers')
      .select(['id', 'socialAccountId', 'phoneNumber', 'displayName', 'profileId', 'callingEnabled', 'connectedAt'])
      .where('accountId', '=', filter.accountId)
      .$if(Boolean(filter.profileId), (query) => query.where('profileId', '=', filter.profileId as string))
      .orderBy('connectedAt', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }
}
