import { Injectable } from '@nestjs/common';
import { newId, type LedgerKind, type LedgerObjectType } from '@numbers/domain';
import { sql } from 'kysely';
import { Database, type Tx } from '../database/database';
import type { LedgerEntry } from '../database/rows';

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
 * Stripe object it moved through.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly db: Database) {}

  /** Records the movements not recorded yet (by key); answers how many were new. */
  async record(entries: readonly NewLedgerEntry[], tx?: Tx): Promise<number> {
    if (entries.length === 0) return 0;
    const inserted = await (tx ?? this.db)
      .insertInto('ledgerEntries')
      .values(entries.map(toRow))
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    return inserted.length;
  }

  /**
   * Records a movement in place of the `adjustment` row an invoice's webhook wrote for the same
   * Stripe object (an invoice item made by an earlier run that died before its commit, which an
   * invoice carried meanwhile): the adjustment goes, and the entry takes its invoice. One statement.
   */
  async recordInPlaceOfAdjustment(entry: NewLedgerEntry, tx?: Tx): Promise<void> {
    const row = toRow(entry);
    await sql`
      WITH adopted AS (
        DELETE FROM ledger_entries
        WHERE id = (SELECT id FROM ledger_entries WHERE stripe_object_id = ${row.stripeObjectId} AND kind = 'adjustment' LIMIT 1)
        RETURNING invoice_id)
      INSERT INTO ledger_entries (id, account_id, number_id, kind, amount_cents, currency, stripe_object_type, stripe_object_id,
                                  subscription_id, invoice_id, entry_key, description, at)
      VALUES (${row.id}, ${row.accountId}, ${row.numberId}, ${row.kind}, ${row.amountCents}, ${row.currency}, ${row.stripeObjectType},
              ${row.stripeObjectId}, ${row.subscriptionId}, coalesce((SELECT invoice_id FROM adopted), ${row.invoiceId}),
              ${row.entryKey}, ${row.description}, ${row.at})
      ON CONFLICT DO NOTHING`.execute(tx ?? this.db);
  }

  /** The rows that moved money through these Stripe objects (invoice items, credit notes…). */
  async findByObjects(stripeObjectIds: readonly string[], tx?: Tx): Promise<LedgerEntry[]> {
    if (stripeObjectIds.length === 0) return [];
    return (tx ?? this.db).selectFrom('ledgerEntries').selectAll().where('stripeObjectId', 'in', [...stripeObjectIds]).execute();
  }

  /** The rows of these kinds an invoice carries, oldest first. */
  ofInvoice(invoiceId: string, kinds?: readonly LedgerKind[], tx?: Tx): Promise<LedgerEntry[]> {
    let query = (tx ?? this.db).selectFrom('ledgerEntries').selectAll().where('invoiceId', '=', invoiceId);
    if (kinds) query = query.where('kind', 'in', [...kinds]);
    return query.orderBy('at').orderBy('id').execute();
  }

  /** The account's ledger, oldest first. */
  listForAccount(accountId: string, tx?: Tx): Promise<LedgerEntry[]> {
    return (tx ?? this.db).selectFrom('ledgerEntries').selectAll().where('accountId', '=', accountId).orderBy('at').orderBy('id').execute();
  }
}

function toRow(entry: NewLedgerEntry) {
  return {
    id: newId(),
    accountId: entry.accountId,
    numberId: entry.numberId ?? null,
    kind: entry.kind,
    amountCents: entry.amountCents,
    currency: entry.currency ?? 'usd',
    stripeObjectType: entry.stripeObjectType,
    stripeObjectId: entry.stripeObjectId,
    subscriptionId: entry.subscriptionId ?? null,
    invoiceId: entry.invoiceId ?? null,
    entryKey: entry.entryKey,
    description: entry.description,
    at: entry.at ?? new Date(),
  };
}
