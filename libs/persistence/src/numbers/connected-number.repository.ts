import { Injectable } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { PrismaService, type PrismaTx } from '../prisma/prisma.service';

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
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The account's connected numbers (of one profile when given), newest first, through
   * (account_id, profile_id). Raw SQL: it runs on every default list request.
   */
  listForAccount(filter: { accountId: string; profileId?: string }, tx?: PrismaTx): Promise<ConnectedNumberRow[]> {
    const profile = filter.profileId ? Prisma.sql`AND profile_id = ${filter.profileId}` : Prisma.empty;
    const sql = Prisma.sql`
      SELECT id, social_account_id AS "socialAccountId", phone_number AS "phoneNumber", display_name AS "displayName",
             profile_id AS "profileId", calling_enabled AS "callingEnabled", connected_at AS "connectedAt"
      FROM connected_numbers
      WHERE account_id = ${filter.accountId} ${profile}
      ORDER BY connected_at DESC, id DESC`;
    return this.prisma.queryRows<ConnectedNumberRow>(sql, tx);
  }
}
