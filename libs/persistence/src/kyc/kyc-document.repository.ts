import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { newId } from '@numbers/domain';
import type { Db } from '../accounts/db';
import { PrismaService } from '../prisma/prisma.service';

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
  constructor(private readonly prisma: PrismaService) {}

  async save(input: NewKycDocument, db?: Db): Promise<StoredKycDocument> {
    const now = input.now ?? new Date();
    const sha256 = createHash('sha256').update(input.content).digest('hex');
    const row = await (db ?? this.prisma).kycDocument.create({
      data: {
        id: newId(now),
        accountId: input.accountId,
        filename: input.filename,
        contentType: input.contentType,
        sizeBytes: input.content.byteLength,
        sha256,
        content: Uint8Array.from(input.content),
        createdAt: now,
      },
      select: { id: true, filename: true, contentType: true, sizeBytes: true, sha256: true },
    });
    return row;
  }

  /** Which of these ids are documents of the account (another account's id is as unknown as none). */
  async idsOwnedBy(accountId: string, ids: string[], db?: Db): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await (db ?? this.prisma).kycDocument.findMany({ where: { accountId, id: { in: ids } }, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  }
}
