import { formatMoney, ledgerKeys, ledgerTotalCents, parseSlotKey, renderLedgerTable, type LedgerLine } from './ledger';

const line = (kind: string, amountCents: number, extra: Partial<LedgerLine> = {}): LedgerLine => ({
  at: new Date('2026-12-01T10:00:00Z'),
  kind,
  numberId: 'num1',
  amountCents,
  currency: 'usd',
  stripeObjectType: 'invoice',
  stripeObjectId: 'in_1',
  invoiceId: 'in_1',
  description: `${kind} row`,
  ...extra,
});

describe('the ledger', () => {
  it('formats cents as money', () => {
    expect([formatMoney(300), formatMoney(-123), formatMoney(0), formatMoney(5, 'eur')]).toEqual(['$3.00', '-$1.23', '$0.00', 'EUR 0.05']);
  });

  it('keys each movement so that recording it twice records it once, and reads slot keys back', () => {
    expect(ledgerKeys.charge('sub_1', 'n1')).toBe('charge:sub_1:n1');
    expect(ledgerKeys.period('in_1', 'il_1', null)).toBe('period:in_1:il_1:-');
    expect(ledgerKeys.credit('n1', 'in_1')).toBe('credit:n1:in_1');
    expect(parseSlotKey(ledgerKeys.slot('in_1', 'il_9', 'n1'))).toEqual({ invoiceId: 'in_1', lineId: 'il_9', numberId: 'n1' });
    expect(parseSlotKey(ledgerKeys.period('in_1', 'il_9', 'n1'))).toBeNull();
  });

  it('totals what the customer still owes: charges less credits and payments', () => {
    const lines = [line('period', 600), line('slot', 300), line('payment', -900), line('credit', -300)];
    expect(ledgerTotalCents(lines)).toBe(-300);
    const table = renderLedgerTable('acc1', lines);
    expect(table.split('\n')[0]).toBe('ledger of account acc1: 4 movement(s)');
    expect(table).toContain('when (UTC)');
    expect(table).toContain('2026-12-01 10:00:00  slot');
    expect(table).toContain('charged $9.00, credited -$3.00, paid -$9.00');
    expect(table).toContain('total -$3.00 (in credit: the next invoices use it)');
    expect(renderLedgerTable('acc1', [line('charge', 300), line('payment', -300)])).toContain('total $0.00 (settled');
  });
});
