import type { NumberBillingHistory } from '@numbers/domain';
import type { NumberBillingDates } from '@numbers/persistence';

/** Subscription statuses of an account that owes an unpaid invoice: its active numbers are suspended. */
export const DELINQUENT_SUBSCRIPTION = ['past_due', 'unpaid'];

/**
 * Each number's billing history (first time paid for, first time active, first time leaving) in
 * Unix seconds, for `attributePeriodLine`; only `numberIds` when given.
 */
export function billingHistoryOf(dates: NumberBillingDates[], numberIds?: string[]): NumberBillingHistory[] {
  return dates
    .filter((row) => !numberIds || numberIds.includes(row.numberId))
    .map((row) => ({ numberId: row.numberId, paidAt: unix(row.paidAt), activeAt: unix(row.activeAt), leftAt: unix(row.leftAt) }));
}

export function unix(at: Date): number;
export function unix(at: Date | null): number | null;
export function unix(at: Date | null): number | null {
  return at === null ? null : Math.floor(at.getTime() / 1000);
}
