import { Injectable } from '@nestjs/common';
import { INVOICE_LINE_KINDS, attributePeriodLine, formatMoney, ledgerKeys } from '@numbers/domain';
import { AccountNumberRecords, BillingStateRepository, LedgerRepository, SubscriptionItemRepository, type BillingAccount, type NewLedgerEntry, type Tx } from '@numbers/persistence';
import type { InvoiceLineSnapshot, InvoiceSnapshot } from '@numbers/providers';
import { billingHistoryOf, unix } from './account-billing';

export interface InvoiceRecorded {
  /** Rows written now (lines the first time the invoice is seen, its payment once paid). */
  recorded: number;
  /** Slot charges on this invoice not credited back yet (numbers that were not active). */
  uncreditedSlots: number;
}

/**
 * Writes an invoice into the account's ledger: its lines the first time it is seen (paid or
 * failed), its payment once paid. Each line is recorded once, by what it is:
 *
 * - a line from an invoice item Numbers made (a `charge` for the rest of a period, a `proration`
 *   credit) is already in the ledger under that item: skipped; any other invoice item is an
 *   `adjustment`;
 * - the subscription's period line is attributed to numbers (`attributePeriodLine`, as of the
 *   invoice's creation): a `period` unit per active number, a `slot` unit per number that held a
 *   slot without being active (given back by `credit-slot-charges` once the invoice is paid), and
 *   a `period` row for units no number explains. The first period of an account (its trial ended
 *   at the first activation) is the `charge` `start-billing` recorded, so it is skipped;
 * - anything else (Stripe's own prorations, another subscription's lines) is an `adjustment`.
 *
 * The payment is a `payment` row of −amount paid (nothing for $0). Runs under the account's
 * billing lock (the caller's), so it sees every row `start-billing` committed.
 */
@Injectable()
export class InvoiceLedger {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly state: BillingStateRepository,
    private readonly items: SubscriptionItemRepository,
    private readonly numbers: AccountNumberRecords,
  ) {}

  async record(tx: Tx, billing: BillingAccount, invoice: InvoiceSnapshot): Promise<InvoiceRecorded> {
    if (billing.trialEndingNumberId && invoice.subscriptionId === billing.stripeSubscriptionId) {
      // The trial-end invoice is that number's `charge`, recorded once its start has ended the trial.
      throw new Error(`the trial of subscription ${invoice.subscriptionId} is ending with number ${billing.trialEndingNumberId}: retried once it has`);
    }
    let recorded = 0;
    const explained = await this.ledger.ofInvoice(invoice.id, INVOICE_LINE_KINDS, tx);
    if (explained.length === 0) recorded += await this.ledger.record(await this.lineEntries(tx, billing, invoice), tx);
    if (invoice.status === 'paid' && invoice.amountPaid > 0) {
      recorded += await this.ledger.record([
        {
          accountId: billing.accountId,
          kind: 'payment',
          amountCents: -invoice.amountPaid,
          currency: invoice.currency,
          stripeObjectType: 'invoice',
          stripeObjectId: invoice.id,
          subscriptionId: invoice.subscriptionId,
          invoiceId: invoice.id,
          entryKey: ledgerKeys.payment(invoice.id),
          description: `invoice paid (${invoice.billingReason ?? 'invoice'}, total ${formatMoney(invoice.total, invoice.currency)})`,
        },
      ], tx);
    }
    const rows = await this.ledger.ofInvoice(invoice.id, ['slot', 'credit'], tx);
    const credited = new Set(rows.filter((r) => r.kind === 'credit').map((r) => r.numberId));
    return { recorded, uncreditedSlots: rows.filter((r) => r.kind === 'slot' && !credited.has(r.numberId)).length };
  }

  private async lineEntries(tx: Tx, billing: BillingAccount, invoice: InvoiceSnapshot): Promise<NewLedgerEntry[]> {
    const ours = invoice.subscriptionId !== null && invoice.subscriptionId === billing.stripeSubscriptionId;
    const itemIds = invoice.lines.flatMap((line) => (line.invoiceItemId ? [line.invoiceItemId] : []));
    const known = new Set((await this.ledger.findByObjects(itemIds, tx)).map((row) => row.stripeObjectId));
    const history = ours ? billingHistoryOf(await this.state.billingDates(billing.accountId, tx)) : [];
    // A period line is one price's item: it charged numbers at that price (docs/billing.md).
    const items = ours && billing.stripeSubscriptionId ? await this.items.recorded(billing.stripeSubscriptionId, tx) : [];
    const priceOfItem = new Map(items.map((item) => [item.itemId, item.monthlyCents]));
    const priceOfNumber = await this.numbers.monthlyCentsOf(billing.accountId, tx);
    // Our clock and Stripe's can differ (a test clock ahead): nothing after now is known yet.
    const asOf = Math.min(invoice.created, unix(new Date()));
    const row = (entry: Pick<NewLedgerEntry, 'kind' | 'amountCents' | 'entryKey' | 'description'> & Partial<NewLedgerEntry>): NewLedgerEntry => ({
      accountId: billing.accountId,
      currency: invoice.currency,
      subscriptionId: invoice.subscriptionId,
      invoiceId: invoice.id,
      stripeObjectType: 'invoice',
      stripeObjectId: invoice.id,
      ...entry,
    });
    const entries: NewLedgerEntry[] = [];
    for (const line of invoice.lines) {
      if (line.amount === 0) continue;
      const what = line.description ?? '(no description)';
      if (line.invoiceItemId) {
        if (known.has(line.invoiceItemId)) continue;
        entries.push(
          row({
            kind: 'adjustment',
            amountCents: line.amount,
            stripeObjectType: 'invoice_item',
            stripeObjectId: line.invoiceItemId,
            entryKey: ledgerKeys.adjustment(invoice.id, line.id),
            description: `invoice item not made by Numbers: ${what}`,
          }),
        );
        continue;
      }
      const ourItem = line.subscriptionItemId !== null && (priceOfItem.has(line.subscriptionItemId) || line.subscriptionItemId === billing.stripeSubscriptionItemId);
      if (!ours || line.proration || !ourItem) {
        const description = `${line.proration ? 'proration' : 'line'} not made by Numbers: ${what}`;
        entries.push(row({ kind: 'adjustment', amountCents: line.amount, entryKey: ledgerKeys.adjustment(invoice.id, line.id), description }));
        continue;
      }
      const price = line.subscriptionItemId ? priceOfItem.get(line.subscriptionItemId) : undefined;
      const numbers = price === undefined ? history : history.filter((h) => priceOfNumber.get(h.numberId) === price);
      const attribution = attributePeriodLine({ quantity: line.quantity ?? 0, amountCents: line.amount, asOf, numbers });
      const period = periodLabel(line, invoice);
      for (const { numberId, amountCents } of attribution.active) {
        const entryKey = ledgerKeys.period(invoice.id, line.id, numberId);
        entries.push(row({ kind: 'period', numberId, amountCents, entryKey, description: `${period}: one unit for the active number` }));
      }
      for (const { numberId, amountCents } of attribution.slots) {
        const entryKey = ledgerKeys.slot(invoice.id, line.id, numberId);
        const description = `${period}: one unit for the slot of a number not active yet (to be credited)`;
        entries.push(row({ kind: 'slot', numberId, amountCents, entryKey, description }));
      }
      if (attribution.unattributedCents !== 0) {
        const description = `${period}: ${attribution.unattributedQuantity} unit(s) no number explains`;
        entries.push(row({ kind: 'period', amountCents: attribution.unattributedCents, entryKey: ledgerKeys.period(invoice.id, line.id, null), description }));
      }
    }
    return entries;
  }
}

/** `renewal 2027-01-30 → 2027-02-28 (2 × $3.00)`. */
function periodLabel(line: InvoiceLineSnapshot, invoice: InvoiceSnapshot): string {
  const day = (at: number) => new Date(at * 1000).toISOString().slice(0, 10);
  const reason = invoice.billingReason === 'subscription_cycle' ? 'renewal' : (invoice.billingReason ?? 'invoice');
  const quantity = line.quantity ?? 0;
  const unit = formatMoney(Math.round(line.amount / Math.max(1, quantity)), invoice.currency);
  return `${reason} ${day(line.periodStart)} → ${day(line.periodEnd)} (${quantity} × ${unit})`;
}
