import { Injectable } from '@nestjs/common';
import { newId, type LedgerKind, type LedgerObjectType } from '@numbers/domain';
import { Prisma, type LedgerEntry } from '@prisma/client';
import type { Db } from '../accounts/db';
import { runSql, type SqlTx } from '../prisma/prisma.service';

/** One money movement to record (docs/billing.md "The ledger"). */
export interface NewLedgerEntry {
  accountId: string;
  numberId?: string | null;
  kind: LedgerKind;
  /** + the customer owes it, − credited or paid. */
  amountCents: number;
  currency?: string;
  stripeObjectType: LedgerObjectType;
  stripeObjectId: string;
  subscriptionId?: string | null;
  invoiceId?: string | null;
  /** `ledgerKeys.*` in @numbers/domain: what makes the movement one. */
  entryKey: string;
  description: string;
  at?: Date;
}

/**
 * `ledger_entries`: every money movement of an account, once (unique `entry_key`), each with the
 * Stripe object it moved through. Takes any client or transaction.
 */
@Injectable()
export class LedgerRepository {
  /**
   * Records the movements not recorded yet (by key); answers how many were new (the rows
   * returned: `runSql` gives rows, not counts). Raw SQL (the statement `createMany` with
   * `skipDuplicates` makes): it runs in every billing job, where a Prisma model query costs
   * several times the CPU of the same statement.
   */
  async record(db: Db | SqlTx, entries: readonly NewLedgerEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const inserted = await runSql(
      db,
      Prisma.sql`
        INSERT INTO ledger_entries (id, account_id, number_id, kind, amount_cents, currency, stripe_object_type, stripe_object_id,
                                    subscription_id, invoice_id, entry_key, description, at)
        VALUES ${Prisma.join(entries.map(toValues))}
        ON CONFLICT DO NOTHING
        RETURNING 1`,
    );
    return inserted.length;
  }

  findByKey(db: Db, entryKey: string): Promise<LedgerEntry | null> {
    return db.ledgerEntry.findUnique({ where: { entryKey } });
  }

  /** The rows that moved money through these Stripe objects (invoice items, credit notes…). */
  findByObjects(db: Db, stripeObjectIds: readonly string[]): Promise<LedgerEntry[]> {
    if (stripeObjectIds.length === 0) return Promise.resolve([]);
    return db.ledgerEntry.findMany({ where: { stripeObjectId: { in: [...stripeObjectIds] } } });
  }

  /** The rows of these kinds an invoice carries. */
  ofInvoice(db: Db, invoiceId: string, kinds?: readonly LedgerKind[]): Promise<LedgerEntry[]> {
    return db.ledgerEntry.findMany({
      where: { invoiceId, ...(kinds ? { kind: { in: [...kinds] } } : {}) },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
  }

  /** The account's ledger, oldest first. */
  listForAccount(db: Db, accountId: string): Promise<LedgerEntry[]> {
    return db.ledgerEntry.findMany({ where: { accountId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  }
}

function toValues(entry: NewLedgerEntry): Prisma.Sql {
  return Prisma.sql`(
    ${newId()}, ${entry.accountId}, ${entry.numberId ?? null}, ${entry.kind}, ${entry.amountCents}, ${entry.currency ?? 'usd'},
    ${entry.stripeObjectType}, ${entry.stripeObjectId}, ${entry.subscriptionId ?? null}, ${entry.invoiceId ?? null},
    ${entry.entryKey}, ${entry.description}, ${entry.at ?? new Date()}
  )`;
}
