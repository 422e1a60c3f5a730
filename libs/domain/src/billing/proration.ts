export interface RestOfPeriodInput {
  /** The price of one unit for the whole period, in cents. */
  unitAmountCents: number;
  /** The period [periodStart, periodEnd), unix seconds. */
  periodStart: number;
  periodEnd: number;
  /** When the unit starts to count (unix seconds). */
  at: number;
}

/**
 * What Stripe's proration charges for one unit added at `at` in the period [periodStart,
 * periodEnd): the unit amount times the share of the period left, rounded to the cent
 * (`round(unit × (end − at) / (end − start))`, half up).
 *
 * Clamped to [0, unit]: `at` at or after the period's end leaves nothing to charge; `at` before
 * its start charges the whole period and no more (the unit counts for all of this period; an
 * earlier period is not this one's to charge). Integer arithmetic, so no float error decides a
 * half cent. Throws on an empty period or a negative or fractional unit amount: those are bugs
 * in the caller's data, not amounts.
 */
export function restOfPeriodCents({ unitAmountCents, periodStart, periodEnd, at }: RestOfPeriodInput): number {
  if (!Number.isSafeInteger(unitAmountCents) || unitAmountCents < 0) {
    throw new RangeError(`unit amount must be whole cents, not ${unitAmountCents}`);
  }
  if (![periodStart, periodEnd, at].every(Number.isSafeInteger) || periodEnd <= periodStart) {
    throw new RangeError(`not a period of whole seconds: [${periodStart}, ${periodEnd}) at ${at}`);
  }
  const from = Math.min(Math.max(at, periodStart), periodEnd);
  return Math.round((unitAmountCents * (periodEnd - from)) / (periodEnd - periodStart));
}
