import { NUMBER_STATUSES, type NumberStatus } from '@numbers/contracts';
import { isBillable, type LedgerKind, type NumberBillingHistory } from '@numbers/domain';
import { runSql, type SqlTx } from '@numbers/persistence';
import { Prisma } from '@prisma/client';

/** The first key of the two-key advisory locks on an account's billing (one lock per account). */
const ACCOUNT_BILLING_LOCK = 0x5155_0001;

/**
 * Serialises everything that changes an account's subscription or explains its money (quantity
 * syncs, the start of a number's billing, Checkout's subscription, invoice and subscription
 * webhooks, credits): a transaction-scoped advisory lock, held until the caller's transaction
 * ends, so it spans the count, the Stripe calls and the writes.
 */
export async function lockAccountBilling(tx: SqlTx, accountId: string): Promise<void> {
  // No column selected: Prisma cannot read the function's `void`.
  await runSql(tx, Prisma.sql`SELECT FROM pg_advisory_xact_lock(${ACCOUNT_BILLING_LOCK}::int, hashtext(${accountId}))`);
}

/**
 * `lockAccountBilling` for the account of a number, found by the same statement (a number never
 * changes account): the account's id, or null when there is no such number.
 */
export async function lockNumberAccountBilling(tx: SqlTx, numberId: string): Promise<string | null> {
  const [row] = await runSql<{ accountId: string }>(
    tx,
    Prisma.sql`
      SELECT p.account_id AS "accountId"
      FROM phone_numbers p
      CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(${ACCOUNT_BILLING_LOCK}::int, hashtext(p.account_id))) locked
      WHERE p.id = ${numberId}`,
  );
  return row?.accountId ?? null;
}

/**
 * Records what was last set at Stripe: the account's total quantity and, when given, the
 * subscription's status.
 */
export async function recordSubscriptionState(tx: SqlTx, accountId: string, quantity: number, subscriptionStatus: string | null = null): Promise<void> {
  await runSql(
    tx,
    Prisma.sql`
      UPDATE billing_accounts
      SET quantity = ${quantity}, subscription_status = COALESCE(${subscriptionStatus}, subscription_status),
          version = version + 1, updated_at = now()
      WHERE account_id = ${accountId}`,
  );
}

/**
 * Ledger kinds that mark a number's billing at Stripe, one row per (subscription, number):
 * `charge` — billing started (the trial ended at its activation, or the rest of the period was
 * charged); `proration` — it left billing afterwards and its unused time was credited.
 */
export const BILLING_STARTED: LedgerKind = 'charge';
export const UNUSED_TIME_CREDITED: LedgerKind = 'proration';

/** States in which no number counts, whether paid first or not. */
export const NEVER_BILLABLE: NumberStatus[] = NUMBER_STATUSES.filter((s) => !isBillable(s, true) && !isBillable(s, false));

/** Subscription statuses of an account that owes an unpaid invoice: its active numbers are suspended. */
export const DELINQUENT_SUBSCRIPTION = ['past_due', 'unpaid'];


/**
 * Each number's billing history from its status history (first time paid for, first time active,
 * first time leaving), for `attributePeriodLine`. Unix seconds.
 */
export async function billingHistoryOf(tx: SqlTx, accountId: string, numberIds?: string[]): Promise<NumberBillingHistory[]> {
  const rows = await runSql<{ numberId: string; paidAt: Date | null; activeAt: Date | null; leftAt: Date | null }>(
    tx,
    Prisma.sql`
      SELECT p.id AS "numberId",
        min(h.at) FILTER (WHERE h.event = 'payment_confirmed') AS "paidAt",
        min(h.at) FILTER (WHERE h.to_status = 'active') AS "activeAt",
        min(h.at) FILTER (WHERE h.to_status IN ('releasing', 'released')) AS "leftAt"
      FROM phone_numbers p
      LEFT JOIN number_status_history h ON h.number_id = p.id AND h.applied
      WHERE p.account_id = ${accountId}
      GROUP BY p.id
      ORDER BY p.id`,
  );
  return rows
    .filter((row) => !numberIds || numberIds.includes(row.numberId))
    .map((row) => ({ numberId: row.numberId, paidAt: unix(row.paidAt), activeAt: unix(row.activeAt), leftAt: unix(row.leftAt) }));
}

export function unix(at: Date): number;
export function unix(at: Date | null): number | null;
export function unix(at: Date | null): number | null {
  return at === null ? null : Math.floor(at.getTime() / 1000);
}
