import { NUMBER_STATUSES, type NumberStatus } from '@numbers/contracts';
import { isBillable } from '@numbers/domain';
import type { Tx } from '@numbers/persistence';

/** The first key of the two-key advisory locks on an account's billing (one lock per account). */
const ACCOUNT_BILLING_LOCK = 0x5155_0001;

/**
 * Serialises everything that changes an account's subscription (quantity syncs, the start of a
 * number's billing, Checkout's subscription): a transaction-scoped advisory lock, held until the
 * caller's transaction ends, so it spans the count, the Stripe calls and the writes.
 */
export async function lockAccountBilling(tx: Tx, accountId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ACCOUNT_BILLING_LOCK}::int, hashtext(${accountId}))`;
}

/** The account's billable numbers (`isBillable`): what Stripe's quantity converges to. */
export async function countBillableNumbers(tx: Tx, accountId: string): Promise<number> {
  const groups = await tx.phoneNumber.groupBy({
    by: ['status', 'paidFirst'],
    where: { accountId },
    _count: { _all: true },
  });
  return groups.filter((g) => isBillable(g.status, g.paidFirst)).reduce((sum, g) => sum + g._count._all, 0);
}

/**
 * Ledger kinds that mark a number's billing at Stripe, one row per (subscription, number):
 * `charge` — billing started (the trial ended at its activation, or the rest of the period was
 * charged); `proration` — it left billing afterwards and its unused time was credited.
 */
export const BILLING_STARTED = 'charge';
export const UNUSED_TIME_CREDITED = 'proration';

/** States in which no number counts, whether paid first or not. */
export const NEVER_BILLABLE: NumberStatus[] = NUMBER_STATUSES.filter((s) => !isBillable(s, true) && !isBillable(s, false));
