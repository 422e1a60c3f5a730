/**
 * The money ledger's vocabulary (docs/billing.md "The ledger"): what each kind of row means, the
 * key that makes a movement one, and how a customer's ledger reads as a table. Pure.
 *
 * Sign: + the customer owes it, − credited or paid. The sum of an account's rows is what the
 * customer still owes: pending invoice items and unpaid invoices, less credit on the balance.
 */
export const LEDGER_KINDS = ['charge', 'proration', 'period', 'slot', 'credit', 'payment', 'adjustment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const LEDGER_KIND_MEANINGS: Readonly<Record<LedgerKind, string>> = {
  charge: "a number's billing started: its first period from activation (trial-end invoice) or the rest of the period (invoice item)",
  proration: 'a number left billing: its unused time, credited (negative invoice item on the next invoice)',
  period: 'a subscription period charged for an active number, or for units no number explains (renewal invoice)',
  slot: 'a subscription period charged for the slot of a number that was not active yet',
  credit: 'a slot charge given back (credit note to the customer balance): the number was not active',
  payment: 'an invoice paid',
  adjustment: 'an invoice line Numbers did not make (a change made at Stripe directly)',
};

/** The Stripe objects money moves through. */
export type LedgerObjectType = 'invoice' | 'invoice_item' | 'credit_note' | 'subscription';

/** Kinds that explain an invoice's lines: once one of them names an invoice, its lines are recorded. */
export const INVOICE_LINE_KINDS: readonly LedgerKind[] = ['charge', 'period', 'slot', 'adjustment'];

/** The unique key of each movement (`ledger_entries.entry_key`): recording one twice records it once. */
export const ledgerKeys = {
  /** One per (subscription, number): the start of its billing. */
  charge: (subscriptionId: string, numberId: string) => `charge:${subscriptionId}:${numberId}`,
  /** One per (subscription, number): its unused time credited when it left billing. */
  proration: (subscriptionId: string, numberId: string) => `proration:${subscriptionId}:${numberId}`,
  /** A unit of an invoice's period line, for a number (or `-`: units no number explains). */
  period: (invoiceId: string, lineId: string, numberId: string | null) => `period:${invoiceId}:${lineId}:${numberId ?? '-'}`,
  slot: (invoiceId: string, lineId: string, numberId: string) => `slot:${invoiceId}:${lineId}:${numberId}`,
  /** One per (number, invoice): the slot charge given back. */
  credit: (numberId: string, invoiceId: string) => `credit:${numberId}:${invoiceId}`,
  payment: (invoiceId: string) => `payment:${invoiceId}`,
  adjustment: (invoiceId: string, lineId: string) => `line:${invoiceId}:${lineId}`,
};

/** What a `slot` key names: the invoice, its period line (`il_…`) and the number (Stripe ids have no `:`). */
export function parseSlotKey(entryKey: string): { invoiceId: string; lineId: string; numberId: string } | null {
  const [kind, invoiceId, lineId, numberId, ...rest] = entryKey.split(':');
  if (kind !== 'slot' || !invoiceId || !lineId || !numberId || rest.length > 0) return null;
  return { invoiceId, lineId, numberId };
}

/** One row as the ledger table shows it. */
export interface LedgerLine {
  at: Date;
  kind: string;
  numberId: string | null;
  amountCents: number;
  currency: string;
  stripeObjectType: string;
  stripeObjectId: string;
  invoiceId: string | null;
  description: string;
}

/** Cents as money: `$3.00`, `-$1.23`, `EUR 4.00` for other currencies. */
export function formatMoney(cents: number, currency = 'usd'): string {
  const sign = cents < 0 ? '-' : '';
  const amount = (Math.abs(cents) / 100).toFixed(2);
  return currency.toLowerCase() === 'usd' ? `${sign}$${amount}` : `${sign}${currency.toUpperCase()} ${amount}`;
}

/** The sum of the rows: what the customer still owes (negative: credit on the balance). */
export function ledgerTotalCents(lines: readonly Pick<LedgerLine, 'amountCents'>[]): number {
  return lines.reduce((sum, line) => sum + line.amountCents, 0);
}

/**
 * An account's ledger as a plain-text table, oldest first, with the total and what it adds up
 * from (charged, credited, paid). Columns: when (UTC), kind, number, amount, the Stripe object,
 * the invoice that carries it, and why.
 */
export function renderLedgerTable(accountId: string, lines: readonly LedgerLine[]): string {
  const rows = lines.map((line) => [
    line.at.toISOString().slice(0, 19).replace('T', ' '),
    line.kind,
    line.numberId ?? '-',
    formatMoney(line.amountCents, line.currency),
    `${line.stripeObjectType} ${line.stripeObjectId}`,
    line.invoiceId ?? '-',
    line.description,
  ]);
  const header = ['when (UTC)', 'kind', 'number', 'amount', 'stripe object', 'invoice', 'description'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const rightAligned = new Set([3]);
  const format = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const currency = lines[0]?.currency ?? 'usd';
  const sum = (keep: (line: LedgerLine) => boolean) => ledgerTotalCents(lines.filter(keep));
  const charged = sum((line) => line.amountCents > 0 && line.kind !== 'payment');
  const credited = sum((line) => line.amountCents < 0 && line.kind !== 'payment');
  const paid = sum((line) => line.kind === 'payment');
  const total = ledgerTotalCents(lines);
  return [
    `ledger of account ${accountId}: ${lines.length} movement(s)`,
    format(header),
    format(widths.map((w) => '-'.repeat(w))),
    ...rows.map(format),
    '',
    `charged ${formatMoney(charged, currency)}, credited ${formatMoney(credited, currency)}, paid ${formatMoney(paid, currency)}`,
    `total ${formatMoney(total, currency)} (${total === 0 ? 'settled: nothing owed, no credit left' : total > 0 ? 'owed: pending items and unpaid invoices' : 'in credit: the next invoices use it'})`,
  ].join('\n');
}
