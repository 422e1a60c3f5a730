import { randomId } from '../shared/random-id';
import type { Metadata } from './stripe.store';

/** One line of a credit note: part of an invoice line, or an amount of its own (`custom_line_item`). */
export interface CreditNoteLineRecord {
  id: string;
  type: 'invoice_line_item' | 'custom_line_item';
  /** The invoice line credited (`il_…`), for `invoice_line_item`. */
  invoiceLineItemId: string | null;
  quantity: number | null;
  unitAmount: number | null;
  /** Cents, positive: what this line takes off. */
  amount: number;
  description: string | null;
}

/** A credit note: money taken off a finalized invoice, and where it went (Stripe's amounts). */
export interface CreditNoteRecord {
  id: string;
  number: string;
  created: number;
  customerId: string;
  invoiceId: string;
  currency: string;
  lines: CreditNoteLineRecord[];
  /** The credit note total, positive. */
  amount: number;
  /** What reduced the invoice's amount still due (an open invoice). */
  prePaymentAmount: number;
  /** What was credited after payment: `creditAmount + refundAmount + outOfBandAmount`. */
  postPaymentAmount: number;
  /** To the customer's balance (used by the next invoices). */
  creditAmount: number;
  refundAmount: number;
  outOfBandAmount: number;
  /** The customer balance transaction of `creditAmount`; null without one. */
  customerBalanceTransactionId: string | null;
  memo: string | null;
  reason: string | null;
  metadata: Metadata;
  status: 'issued' | 'void';
}

export type NewCreditNote = Omit<CreditNoteRecord, 'id' | 'status' | 'lines' | 'customerBalanceTransactionId'> & {
  lines: Omit<CreditNoteLineRecord, 'id'>[];
};

/** Stripe's credit notes, oldest first. */
export class StripeCreditNoteStore {
  private readonly notes = new Map<string, CreditNoteRecord>();

  create(input: NewCreditNote): CreditNoteRecord {
    const note: CreditNoteRecord = {
      ...input,
      id: randomId('cn_', 24),
      status: 'issued',
      lines: input.lines.map((line) => ({ ...line, id: randomId('cnli_', 24) })),
      customerBalanceTransactionId: input.creditAmount > 0 ? randomId('cbtxn_', 24) : null,
    };
    this.notes.set(note.id, note);
    return note;
  }

  get(id: string): CreditNoteRecord | undefined {
    return this.notes.get(id);
  }

  /** Newest first, as Stripe lists. */
  list(filter: { invoiceId?: string; customerId?: string } = {}): CreditNoteRecord[] {
    return [...this.notes.values()]
      .filter((note) => (!filter.invoiceId || note.invoiceId === filter.invoiceId) && (!filter.customerId || note.customerId === filter.customerId))
      .reverse();
  }

  /** What issued credit notes took off an invoice, in all and per invoice line (`il_…`). */
  creditedOn(invoiceId: string): { total: number; refunded: number; byLine: Map<string, number> } {
    const byLine = new Map<string, number>();
    let total = 0;
    let refunded = 0;
    for (const note of this.notes.values()) {
      if (note.invoiceId !== invoiceId || note.status !== 'issued') continue;
      total += note.amount;
      refunded += note.refundAmount;
      for (const line of note.lines) {
        if (line.invoiceLineItemId) byLine.set(line.invoiceLineItemId, (byLine.get(line.invoiceLineItemId) ?? 0) + line.amount);
      }
    }
    return { total, refunded, byLine };
  }

  listAll(): CreditNoteRecord[] {
    return [...this.notes.values()];
  }

  clear(): void {
    this.notes.clear();
  }
}
