import { Injectable } from '@nestjs/common';
import { newId } from '@numbers/domain';
import { Database, type Tx } from '../database/database';

export interface KycLinkBranding {
  companyName: string | null;
  logoUrl: string | null;
  brandColor: string | null;
}

export interface NewKycLink {
  accountId: string;
  profileId: string;
  country: string;
  language: string | null;
  branding: KycLinkBranding;
  redirectUrl: string | null;
  /** SHA-256 (hex) of the link's token: the token itself is never stored. */
  tokenHash: string;
  expiresAt: Date;
  now?: Date;
}

export interface KycLink extends Omit<NewKycLink, 'now'> {
  id: string;
  submittedAt: Date | null;
  numberId: string | null;
}

/** Hosted KYC links (`kyc_links`): what one link lets its holder do, found by its token's hash. */
@Injectable()
export class KycLinkRepository {
  constructor(private readonly db: Database) {}

  async create(input: NewKycLink): Promise<KycLink> {
    const now = input.now ?? new Date();
    const id = newId(now);
    await this.db
      .insertInto('kycLinks')
      .values({
        id,
        accountId: input.accountId,
        profileId: input.profileId,
        country: input.country,
        language: input.language,
        companyName: input.branding.companyName,
        logoUrl: input.branding.logoUrl,
        brandColor: input.branding.brandColor,
        redirectUrl: input.redirectUrl,
        tokenHash: input.tokenHash,
        expiresAt: input.expiresAt,
        createdAt: now,
      })
      .execute();
    const { accountId, profileId, country, language, branding, redirectUrl, tokenHash, expiresAt } = input;
    return { id, accountId, profileId, country, language, branding, redirectUrl, tokenHash, expiresAt, submittedAt: null, numberId: null };
  }

  async findByTokenHash(tokenHash: string, tx?: Tx): Promise<KycLink | null> {
    const row = await (tx ?? this.db).selectFrom('kycLinks').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      accountId: row.accountId,
      profileId: row.profileId,
      country: row.country,
      language: row.language,
      branding: { companyName: row.companyName, logoUrl: row.logoUrl, brandColor: row.brandColor },
      redirectUrl: row.redirectUrl,
      tokenHash: row.tokenHash,
      expiresAt: row.expiresAt,
      submittedAt: row.submittedAt,
      numberId: row.numberId,
    };
  }

  /**
   * Records the link's one submission and the number it bought, in the purchase's transaction.
   * False when the link was used already (a concurrent submission won): the caller rolls back.
   */
  async markSubmitted(tx: Tx, id: string, numberId: string, now: Date): Promise<boolean> {
    const updated = await tx
      .updateTable('kycLinks')
      .set({ submittedAt: now, numberId })
      .where('id', '=', id)
      .where('submittedAt', 'is', null)
      .executeTakeFirst();
    return updated.numUpdatedRows === 1n;
  }
}
