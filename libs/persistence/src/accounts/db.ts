import type { PrismaClient } from '@prisma/client';
import type { PrismaTx } from '../prisma/prisma.service';

/** A client or a transaction: the functions below run in the one they are given. */
export type Db = PrismaClient | PrismaTx;

/** Runs `work` in `db` when it is already a transaction, else in a new transaction on it. */
export function inTransaction<T>(db: Db, work: (tx: PrismaTx) => Promise<T>): Promise<T> {
  return '$transaction' in db ? (db as PrismaClient).$transaction(work) : work(db);
}
