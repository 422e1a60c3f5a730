import { restOfPeriodCents } from './proration';

const DAY = 86_400;
const JAN_1 = Date.UTC(2026, 0, 1) / 1000;
const FEB_1 = Date.UTC(2026, 1, 1) / 1000; // a 31-day period
const period = { periodStart: JAN_1, periodEnd: FEB_1 };

describe('restOfPeriodCents', () => {
  it('charges the whole unit at the start of the period and nothing at its end', () => {
    expect(restOfPeriodCents({ unitAmountCents: 300, ...period, at: JAN_1 })).toBe(300);
    expect(restOfPeriodCents({ unitAmountCents: 300, ...period, at: FEB_1 })).toBe(0);
  });

  it('charges the share of the period left, rounded to the cent as Stripe does', () => {
    // 21 of 31 days left: 300 × 21/31 = 203.2 → 203 (the simulator's own proration test says the same).
    expect(restOfPeriodCents({ unitAmountCents: 300, ...period, at: JAN_1 + 10 * DAY })).toBe(203);
    // 600 × 21/31 = 406.45 → 406; 900 × 21/31 = 609.68 → 610.
    expect(restOfPeriodCents({ unitAmountCents: 600, ...period, at: JAN_1 + 10 * DAY })).toBe(406);
    expect(restOfPeriodCents({ unitAmountCents: 900, ...period, at: JAN_1 + 10 * DAY })).toBe(610);
    // One second before the end: 300 / 2 678 400 of a cent → 0.
    expect(restOfPeriodCents({ unitAmountCents: 300, ...period, at: FEB_1 - 1 })).toBe(0);
  });

  it('rounds an exact half cent up', () => {
    // 301 × 1/2 = 150.5 → 151; 3 × 1/2 = 1.5 → 2 over a 2-second period.
    expect(restOfPeriodCents({ unitAmountCents: 301, periodStart: 0, periodEnd: 2 * DAY, at: DAY })).toBe(151);
    expect(restOfPeriodCents({ unitAmountCents: 3, periodStart: 100, periodEnd: 102, at: 101 })).toBe(2);
    // 1 × 1/3 = 0.33 → 0; 1 × 2/3 = 0.67 → 1.
    expect(restOfPeriodCents({ unitAmountCents: 1, periodStart: 0, periodEnd: 3, at: 2 })).toBe(0);
    expect(restOfPeriodCents({ unitAmountCents: 1, periodStart: 0, periodEnd: 3, at: 1 })).toBe(1);
  });

  it('is exact where multiplying by a float fraction is not', () => {
    // 45 × 7/10 is 31.5: as 45 × 0.7 in floats it is 31.499999999999996, which would round down.
    expect(restOfPeriodCents({ unitAmountCents: 45, periodStart: 0, periodEnd: 10, at: 3 })).toBe(32);
    expect(restOfPeriodCents({ unitAmountCents: 325, periodStart: 0, periodEnd: 10, at: 3 })).toBe(228);
  });

  it('clamps a moment outside the period: before it, the whole period; after it, nothing', () => {
    // A unit counted from before this period was in it all along: one whole period, never more.
    expect(restOfPeriodCents({ unitAmountCents: 300, ...period, at: JAN_1 - 5 * DAY })).toBe(300);
    // The period is over: nothing of it is left to charge, never a negative amount.
    expect(restOfPeriodCents({ unitAmountCents: 300, ...period, at: FEB_1 + 5 * DAY })).toBe(0);
  });

  it('charges nothing for a free unit', () => {
    expect(restOfPeriodCents({ unitAmountCents: 0, ...period, at: JAN_1 + DAY })).toBe(0);
  });

  it('refuses an empty period and amounts that are not whole cents', () => {
    expect(() => restOfPeriodCents({ unitAmountCents: 300, periodStart: FEB_1, periodEnd: FEB_1, at: FEB_1 })).toThrow(RangeError);
    expect(() => restOfPeriodCents({ unitAmountCents: 300, periodStart: FEB_1, periodEnd: JAN_1, at: FEB_1 })).toThrow(RangeError);
    expect(() => restOfPeriodCents({ unitAmountCents: -1, ...period, at: JAN_1 })).toThrow(RangeError);
    expect(() => restOfPeriodCents({ unitAmountCents: 2.5, ...period, at: JAN_1 })).toThrow(RangeError);
    expect(() => restOfPeriodCents({ unitAmountCents: 300, ...period, at: Number.NaN })).toThrow(RangeError);
  });
});
