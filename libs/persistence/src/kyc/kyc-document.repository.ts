import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { newId } from '@numbers/domain';
import { Database, type Tx } from '../database/database';
import { KycVault } from './kyc-vault';

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

/**
 * KYC documents of an account: stored once, referenced by id from regulatory cases. The bytes are
 * encrypted under the document's own data key (KycVault); size and SHA-256 are of the file as sent.
 */
@Injectable()
export class KycDocumentRepository {
  constructor(
    private readonly db: Database,
    private readonly vault: KycVault,
  ) {}

  async save(input: NewKycDocument, tx?: Tx): Promise<StoredKycDocument> {
    const now = input.now ?? new Date();
    const document: StoredKycDocument = {
      id: newId(now),
      filename: input.filename,
      contentType: input.contentType,
      sizeBytes: input.content.byteLength,
      sha256: createHash('sha256').update(input.content).digest('hex'),
    };
    const { ciphertext, dataKeySealed } = this.vault.seal(input.content, document.id);
    await (tx ?? this.db)
      .insertInto('kycDocuments')
      .values({ ...document, accountId: input.accountId, content: ciphertext, dataKeySealed, createdAt: now })
      .execute();
    return document;
  }

  /**
   * The document's file, opened, to send to the carrier; null when it is not stored (erased).
   * A document stored before encryption is read as it is.
   */
  async read(id: string, tx?: Tx): Promise<{ filename: string; contentType: string; content: Buffer } | null> {
    const row = await (tx ?? this.db).selectFrom('kycDocuments').select(['filename', 'contentType', 'content', 'dataKeySealed']).where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const content = row.dataKeySealed === null ? Buffer.from(row.content) : this.vault.open({ ciphertext: row.content, dataKeySealed: row.dataKeySealed }, id);
    return { filename: row.filename, contentType: row.contentType, content };
  }

  /** Which of these ids are documents of the account (another account's id is as unknown as none). */
  async idsOwnedBy(accountId: string, ids: string[], tx?: Tx): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await (tx ?? this.db).selectFrom('kycDocuments').select('id').where('accountId', '=', accountId).where('id', 'in', ids).execute();
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Key rotation and the documents stored before encryption: those are encrypted now, and data
   * keys sealed under a retired KYC key are sealed again under the current one (the files
   * themselves stay as they are). `batch` rows a read; each write only if the row is as read.
   * How many documents were written.
   */
  async refreshSealing(batch: number): Promise<number> {
    let written = 0;
    for (let after = ''; ; ) {
      const rows = await this.db.selectFrom('kycDocuments').select(['id', 'content']).where('dataKeySealed', 'is', null).where('id', '>', after).orderBy('id').limit(batch).execute();
      for (const row of rows) {
        const { ciphertext, dataKeySealed } = this.vault.seal(row.content, row.id);
        const result = await this.db.updateTable('kycDocuments').set({ content: ciphertext, dataKeySealed }).where('id', '=', row.id).where('dataKeySealed', 'is', null).executeTakeFirst();
        written += Number(result.numUpdatedRows);
      }
      if (rows.length < batch) break;
      after = rows[rows.length - 1]?.id ?? after;
    }
    for (let after = ''; ; ) {
      const rows = await this.db.selectFrom('kycDocuments').select(['id', 'dataKeySealed']).where('dataKeySealed', 'is not', null).where('id', '>', after).orderBy('id').limit(batch).execute();
      for (const { id, dataKeySealed } of rows) {
        const rewrapped = this.vault.rewrap(dataKeySealed as string, id);
        if (!rewrapped) continue;
        const result = await this.db.updateTable('kycDocuments').set({ dataKeySealed: rewrapped }).where('id', '=', id).where('dataKeySealed', '=', dataKeySealed).executeTakeFirst();
        written += Number(result.numUpdatedRows);
      }
      if (rows.length < batch) break;
      after = rows[rows.length - 1]?.id ?? after;
    }
    return written;
  }
}
