/** One side of a subscription item before or after a change. */
export interface ItemState {
  priceId: string;
  unitAmount: number;
  quantity: number;
}

export interface ProrationLine {
  kind: 'unused' | 'remaining';
  priceId: string;
  quantity: number;
  /** Cents: negative for the credit of unused time. */
  amount: number;
  periodStart: number;
  periodEnd: number;
}

/**
 * The proration lines Stripe makes when an item changes at `at` inside the period
 * [`periodStart`, `periodEnd`): a credit for the unused time at the old price × quantity, and a
 * charge for the remaining time at the new one, each `unitAmount × quantity × remaining/period`
 * rounded to the cent separately. No lines when nothing billable changed or the period is over.
 * `before` null: the item is new; `after` null: the item was removed.
 */
export function prorationLines(
  before: ItemState | null,
  after: ItemState | null,
  period: { start: number; end: number },
  at: number,
): ProrationLine[] {
  const unchanged =
    before !== null && after !== null && before.priceId === after.priceId && before.quantity === after.quantity && before.unitAmount === after.unitAmount;
  const length = period.end - period.start;
  const remaining = Math.min(period.end - at, length);
  if (unchanged || length <= 0 || remaining <= 0) return [];
  const fraction = remaining / length;
  const lines: ProrationLine[] = [];
  const common = { periodStart: Math.max(at, period.start), periodEnd: period.end };
  if (before && before.quantity > 0) {
    lines.push({ kind: 'unused', priceId: before.priceId, quantity: before.quantity, amount: -Math.round(before.unitAmount * before.quantity * fraction), ...common });
  }
  if (after && after.quantity > 0) {
    lines.push({ kind: 'remaining', priceId: after.priceId, quantity: after.quantity, amount: Math.round(after.unitAmount * after.quantity * fraction), ...common });
  }
  return lines;
}

/** How an invoice total meets the customer's balance (negative balance = credit). */
export function applyBalance(total: number, startingBalance: number): { amountDue: number; endingBalance: number } {
  const applied = total + startingBalance;
  return { amountDue: Math.max(0, applied), endingBalance: Math.min(0, applied) };
}
