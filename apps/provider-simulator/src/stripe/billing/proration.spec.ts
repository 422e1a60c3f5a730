import { addMonths, periodEndAfter } from './billing-periods';
import { applyBalance, prorationLines } from './proration';

const JAN_1 = Date.UTC(2026, 0, 1) / 1000;
const FEB_1 = Date.UTC(2026, 1, 1) / 1000;
const DAY = 86_400;

describe('billing periods', () => {
  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addMonths(JAN_1, 1)).toBe(FEB_1);
    const jan31 = Date.UTC(2026, 0, 31, 12) / 1000;
    expect(new Date(addMonths(jan31, 1) * 1000).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(new Date(addMonths(jan31, 2) * 1000).toISOString()).toBe('2026-03-31T12:00:00.000Z');
  });

  it('finds the end of the period that starts at a boundary', () => {
    const jan31 = Date.UTC(2026, 0, 31) / 1000;
    expect(periodEndAfter(jan31, jan31)).toBe(Date.UTC(2026, 1, 28) / 1000);
    expect(periodEndAfter(jan31, Date.UTC(2026, 1, 28) / 1000)).toBe(Date.UTC(2026, 2, 31) / 1000);
  });
});

describe('prorationLines', () => {
  const period = { start: JAN_1, end: FEB_1 }; // 31 days

  it('credits unused time at the old quantity and charges the rest at the new one', () => {
    // 10 days in: 21 of 31 days remain. 300 × 1 × 21/31 = 203.2 → 203; 300 × 3 × 21/31 = 609.7 → 610.
    const lines = prorationLines(
      { priceId: 'p', unitAmount: 300, quantity: 1 },
      { priceId: 'p', unitAmount: 300, quantity: 3 },
      period,
      JAN_1 + 10 * DAY,
    );
    expect(lines).toEqual([
      { kind: 'unused', priceId: 'p', quantity: 1, amount: -203, periodStart: JAN_1 + 10 * DAY, periodEnd: FEB_1 },
      { kind: 'remaining', priceId: 'p', quantity: 3, amount: 610, periodStart: JAN_1 + 10 * DAY, periodEnd: FEB_1 },
    ]);
  });

  it('makes nothing when nothing changed or the period is over, one line for added or removed items', () => {
    const item = { priceId: 'p', unitAmount: 300, quantity: 2 };
    expect(prorationLines(item, { ...item }, period, JAN_1 + DAY)).toEqual([]);
    expect(prorationLines(item, { ...item, quantity: 1 }, period, FEB_1)).toEqual([]);
    expect(prorationLines(null, item, period, JAN_1).map((l) => [l.kind, l.amount])).toEqual([['remaining', 600]]);
    expect(prorationLines(item, null, period, JAN_1).map((l) => [l.kind, l.amount])).toEqual([['unused', -600]]);
  });

  it('uses credit before charging and keeps what is left over', () => {
    expect(applyBalance(600, -203)).toEqual({ amountDue: 397, endingBalance: 0 });
    expect(applyBalance(-203, 0)).toEqual({ amountDue: 0, endingBalance: -203 });
    expect(applyBalance(100, -300)).toEqual({ amountDue: 0, endingBalance: -200 });
  });
});
