import { attributePeriodLine, type NumberBillingHistory } from './period-attribution';

const T = 1_000_000;
const n = (numberId: string, paidAt: number | null, activeAt: number | null = null, leftAt: number | null = null): NumberBillingHistory => ({ numberId, paidAt, activeAt, leftAt });

describe('attributePeriodLine', () => {
  it('gives each unit to a number holding a slot: active numbers first, then slots not active yet', () => {
    const numbers = [n('b-slot', T - 50), n('a-active', T - 100, T - 90), n('c-active', T - 80, T - 10)];
    expect(attributePeriodLine({ quantity: 3, amountCents: 900, asOf: T, numbers })).toEqual({
      active: [
        { numberId: 'a-active', amountCents: 300 },
        { numberId: 'c-active', amountCents: 300 },
      ],
      slots: [{ numberId: 'b-slot', amountCents: 300 }],
      unattributedQuantity: 0,
      unattributedCents: 0,
    });
  });

  it('reads the numbers as of the invoice: paid later, active later, or gone before do not count as such', () => {
    const numbers = [
      n('paid-after', T + 5),
      n('active-after', T - 100, T + 5), // a slot then
      n('left-before', T - 100, T - 90, T - 1),
      n('left-after', T - 100, T - 90, T + 1), // still active then
      n('never-paid', null),
    ];
    const result = attributePeriodLine({ quantity: 2, amountCents: 600, asOf: T, numbers });
    expect(result.active.map((u) => u.numberId)).toEqual(['left-after']);
    expect(result.slots.map((u) => u.numberId)).toEqual(['active-after']);
  });

  it('charges at most the quantity (active numbers keep their units; a slot beyond it was not charged)', () => {
    // The trial ended with the quantity at 1 for the number that became active: the slot is not in it.
    const numbers = [n('slot', T - 200), n('active', T - 100, T - 1)];
    expect(attributePeriodLine({ quantity: 1, amountCents: 300, asOf: T, numbers })).toEqual({
      active: [{ numberId: 'active', amountCents: 300 }],
      slots: [],
      unattributedQuantity: 0,
      unattributedCents: 0,
    });
  });

  it('leaves units no number explains unattributed, with the rounding remainder', () => {
    expect(attributePeriodLine({ quantity: 3, amountCents: 1000, asOf: T, numbers: [n('a', T - 1, T - 1)] })).toEqual({
      active: [{ numberId: 'a', amountCents: 333 }],
      slots: [],
      unattributedQuantity: 2,
      unattributedCents: 667,
    });
    expect(attributePeriodLine({ quantity: 0, amountCents: 0, asOf: T, numbers: [n('a', T - 1, T - 1)] })).toEqual({ active: [], slots: [], unattributedQuantity: 0, unattributedCents: 0 });
  });

  it('refuses a quantity that is not one', () => {
    expect(() => attributePeriodLine({ quantity: -1, amountCents: 0, asOf: T, numbers: [] })).toThrow(RangeError);
  });
});
