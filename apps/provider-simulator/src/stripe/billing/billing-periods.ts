/**
 * Monthly periods as Stripe counts them: anchored on the billing cycle anchor's day of month and
 * time of day, clamped to the last day of shorter months (an anchor on the 31st renews on
 * 28/29 February, then on 31 March again). UTC throughout.
 */
export function addMonths(anchor: number, months: number): number {
  const date = new Date(anchor * 1000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  const shifted = Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
  return Math.floor(shifted / 1000);
}

/** The end of the monthly period that starts at `periodStart`, for a cycle anchored at `anchor`. */
export function periodEndAfter(anchor: number, periodStart: number): number {
  let months = 1;
  while (addMonths(anchor, months) <= periodStart) months += 1;
  return addMonths(anchor, months);
}

/** Seconds as days, for trial_period_days. */
export const DAY_SECONDS = 24 * 60 * 60;
