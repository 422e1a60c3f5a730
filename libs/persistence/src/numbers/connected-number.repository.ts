import { Injectable } from '@nestjs/common';
import { compiledOnce } from '../database/compiled-once';
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

/**
 * The account's connected numbers (of one profile when given), newest first, through
 * (account_id, profile_id). Every default list request reads them: compiled once per shape.
 */
@Injectable()
export class ConnectedNumberRepository {
  private readonly ofAccount;
  private readonly ofProfile;

  constructor(private readonly db: Database) {
    const ofAccount = (accountId: string) =>
      db
        .selectFrom('connectedNumbers')
        .select(['id', 'socialAccountId', 'phoneNumber', 'displayName', 'profileId', 'callingEnabled', 'connectedAt'])
        .where('accountId', '=', accountId)
        .orderBy('connectedAt', 'desc')
        .orderBy('id', 'desc');
    this.ofAccount = compiledOnce(ofAccount);
    this.ofProfile = compiledOnce((accountId: string, profileId: string) => ofAccount(accountId).where('profileId', '=', profileId));
  }

  async listForAccount(filter: { accountId: string; profileId?: string }, tx?: Tx): Promise<ConnectedNumberRow[]> {
    const query = filter.profileId ? this.ofProfile(filter.accountId, filter.profileId) : this.ofAccount(filter.accountId);
    const { rows } = await (tx ?? this.db).executeQuery(query);
    return rows;
  }
}
