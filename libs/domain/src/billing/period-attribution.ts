/**
 * Who a subscription invoice's period line charged. The line is `quantity` units of the numbers
 * price for a period; Stripe does not say which numbers they were, so they are read from the
 * numbers' own history as of the invoice: the numbers holding a slot then (paid for, not left
 * billing), active ones first (by activation), then slots of numbers not active yet (by payment),
 * at most `quantity` of them. Units no number explains (the quantity was ahead of the count) are
 * left unattributed. Pure; times are unix seconds.
 */

/** A number's billing history, from its status history. */
export interface NumberBillingHistory {
  numberId: string;
  /** When it took a slot (paid for: entered `provisioning`); null: never. */
  paidAt: number | null;
  /** When it first became `active`; null: not yet, or never. */
  activeAt: number | null;
  /** When it left billing (`releasing` or `released`); null: still in. */
  leftAt: number | null;
}

export interface PeriodLineInput {
  /** Units on the line and its amount in cents (units × the unit price). */
  quantity: number;
  amountCents: number;
  /** The instant the line is read at: the invoice's creation, or now if that is later than now (another clock). */
  asOf: number;
  numbers: readonly NumberBillingHistory[];
}

export interface AttributedUnit {
  numberId: string;
  amountCents: number;
}

export interface PeriodAttribution {
  /** Units of numbers active at `asOf`: what the customer pays for. */
  active: AttributedUnit[];
  /** Units of numbers that held a slot but were not active at `asOf`: to be given back. */
  slots: AttributedUnit[];
  /** Units no number explains, and their amount (the line's rounding remainder included). */
  unattributedQuantity: number;
  unattributedCents: number;
}

export function attributePeriodLine({ quantity, amountCents, asOf, numbers }: PeriodLineInput): PeriodAttribution {
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError(`not a quantity: ${quantity}`);
  if (quantity === 0) return { active: [], slots: [], unattributedQuantity: 0, unattributedCents: amountCents };
  const unit = Math.trunc(amountCents / quantity);
  const holding = numbers.filter((n) => n.paidAt !== null && n.paidAt <= asOf && (n.leftAt === null || n.leftAt > asOf));
  const byTime = (time: (n: NumberBillingHistory) => number) => (a: NumberBillingHistory, b: NumberBillingHistory) =>
    time(a) - time(b) || a.numberId.localeCompare(b.numberId);
  const activeNumbers = holding.filter((n) => n.activeAt !== null && n.activeAt <= asOf).sort(byTime((n) => n.activeAt ?? 0));
  const slotNumbers = holding.filter((n) => n.activeAt === null || n.activeAt > asOf).sort(byTime((n) => n.paidAt ?? 0));
  const charged = [...activeNumbers, ...slotNumbers].slice(0, quantity);
  const isActive = new Set(activeNumbers.map((n) => n.numberId));
  const units = charged.map((n) => ({ numberId: n.numberId, amountCents: unit }));
  return {
    active: units.filter((u) => isActive.has(u.numberId)),
    slots: units.filter((u) => !isActive.has(u.numberId)),
    unattributedQuantity: quantity - charged.length,
    unattributedCents: amountCents - unit * charged.length,
  };
}
