import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { newId } from '@numbers/domain';
import { Database, type Tx } from '../database/database';

export interface NewKycDocument {
  accountId: string;
  filename: string;
  contentType: string;
  content: Uint8Array;
  now?: Date;
}

export interface StoredKycDocument {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/** KYC documents of an account: stored once, referenced by id from regulatory cases. */
@Injectable()
export class KycDocumentRepository {
  constructor(private readonly db: Database) {}

  async save(input: NewKycDocument, tx?: Tx): Promise<StoredKycDocument> {
    const now = input.now ?? new Date();
    const document: StoredKycDocument = {
      id: newId(now),
      filename: input.filename,
      contentType: input.contentType,
      sizeBytes: input.content.byteLength,
      sha256: createHash('sha256').update(input.content).digest('hex'),
    };
    await (tx ?? this.db)
      .insertInto('kycDocuments')
      .values({ ...document, accountId: input.accountId, content: Buffer.from(input.content), createdAt: now })
      .execute();
    return document;
  }

  /** Which of these ids are documents of the account (another account's id is as unknown as none). */
  async idsOwnedBy(accountId: string, ids: string[], tx?: Tx): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await (tx ?? this.db).selectFrom('kycDocuments').select('id').where('accountId', '=', accountId).where('id', 'in', ids).execute();
    return new Set(rows.map((row) => row.id));
  }
}
