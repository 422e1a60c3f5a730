import type { CreditNoteLineRecord, CreditNoteRecord, StripeCreditNoteStore } from '../../state/stripe-credit-note.store';
import type { InvoiceRecord } from '../../state/stripe-invoice.store';
import type { Metadata, StripeStore } from '../../state/stripe.store';
import { invalidRequest } from '../stripe-errors';
import type { StripeEventBatch } from '../stripe-events';
import { toCreditNoteObject } from '../stripe-credit-note.mapper';
import type { StripeBilling } from './stripe-billing.service';

/** A credit note line as asked for: part of an invoice line, or an amount of its own. */
export type CreditNoteLineRequest =
  | { type: 'invoice_line_item'; invoiceLineItemId: string; quantity?: number; amount?: number; description?: string }
  | { type: 'custom_line_item'; unitAmount: number; quantity: number; description: string };

/** `POST /v1/credit_notes`, parsed (types and presence); the money rules are checked here. */
export interface CreditNoteRequest {
  invoice: InvoiceRecord;
  /** `lines`, or `amount` alone: exactly one is given. */
  lines: CreditNoteLineRequest[] | null;
  amount: number | null;
  creditAmount?: number;
  refundAmount?: number;
  outOfBandAmount?: number;
  memo: string | null;
  reason: string | null;
  metadata: Metadata;
}

/**
 * Stripe's credit notes on a finalized invoice. The total (the lines, or `amount`) may not exceed
 * what is left to credit on the invoice, nor a line's amount what is left on that line. It first
 * reduces what the invoice still asks (`pre_payment_amount`; an open invoice credited in full is
 * paid); the rest (`post_payment_amount`) must be split exactly, as Stripe requires, into
 * `credit_amount` (the customer's balance, used by the next invoices), `refund_amount` (back to
 * the card, at most what was paid) and `out_of_band_amount`. Raises `credit_note.created`.
 */
export class StripeCreditNotes {
  constructor(
    private readonly store: StripeStore,
    private readonly notes: StripeCreditNoteStore,
    private readonly billing: StripeBilling,
  ) {}

  issue(request: CreditNoteRequest, batch: StripeEventBatch): CreditNoteRecord {
    const { invoice } = request;
    if (invoice.status !== 'open' && invoice.status !== 'paid') {
      throw invalidRequest(`You can only create a credit note on an open or paid invoice; invoice ${invoice.id} is ${invoice.status}.`, 'invoice');
    }
    const credited = this.notes.creditedOn(invoice.id);
    const lines = request.lines ? request.lines.map((line, i) => this.line(invoice, line, i, credited.byLine)) : [];
    const amount = request.lines ? lines.reduce((sum, line) => sum + line.amount, 0) : (request.amount ?? 0);
    if (amount <= 0) throw invalidRequest('The credit note amount must be greater than 0.', request.lines ? 'lines' : 'amount');
    const creditable = invoice.total - credited.total;
    if (amount > creditable) {
      throw invalidRequest(`The credit note amount (${amount}) exceeds what is left to credit on invoice ${invoice.id} (${Math.max(0, creditable)}).`, 'amount');
    }

    const remaining = invoice.status === 'open' ? invoice.amountDue - invoice.amountPaid : 0;
    const prePaymentAmount = Math.min(amount, Math.max(0, remaining));
    const postPaymentAmount = amount - prePaymentAmount;
    const creditAmount = request.creditAmount ?? 0;
    const refundAmount = request.refundAmount ?? 0;
    const outOfBandAmount = request.outOfBandAmount ?? 0;
    if (creditAmount + refundAmount + outOfBandAmount !== postPaymentAmount) {
      throw invalidRequest(
        `The sum of credit_amount, refund_amount and out_of_band_amount (${creditAmount + refundAmount + outOfBandAmount}) must equal the credit note's post-payment amount (${postPaymentAmount}).`,
        postPaymentAmount > 0 ? 'credit_amount' : undefined,
      );
    }
    if (refundAmount > invoice.amountPaid - credited.refunded) {
      throw invalidRequest(`The refund_amount (${refundAmount}) exceeds what was paid on invoice ${invoice.id} and not refunded yet.`, 'refund_amount');
    }

    const customer = this.store.getCustomer(invoice.customerId);
    if (!customer) throw new Error(`customer ${invoice.customerId} vanished`);
    const note = this.notes.create({
      number: `${invoice.number}-CN-${String(this.notes.list({ invoiceId: invoice.id }).length + 1).padStart(2, '0')}`,
      created: this.store.clock.now(),
      customerId: invoice.customerId,
      invoiceId: invoice.id,
      currency: invoice.currency,
      lines,
      amount,
      prePaymentAmount,
      postPaymentAmount,
      creditAmount,
      refundAmount,
      outOfBandAmount,
      memo: request.memo,
      reason: request.reason,
      metadata: request.metadata,
    });
    customer.balance -= creditAmount;
    invoice.prePaymentCreditNotesAmount += prePaymentAmount;
    invoice.postPaymentCreditNotesAmount += postPaymentAmount;
    invoice.amountDue -= prePaymentAmount;
    batch.add('credit_note.created', toCreditNoteObject(note));
    if (invoice.status === 'open' && invoice.amountDue - invoice.amountPaid <= 0) this.billing.settleWithoutCharge(invoice, batch);
    return note;
  }

  private line(invoice: InvoiceRecord, line: CreditNoteLineRequest, i: number, creditedByLine: Map<string, number>): Omit<CreditNoteLineRecord, 'id'> {
    if (line.type === 'custom_line_item') {
      return { type: line.type, invoiceLineItemId: null, quantity: line.quantity, unitAmount: line.unitAmount, amount: line.unitAmount * line.quantity, description: line.description };
    }
    const param = `lines[${i}][invoice_line_item]`;
    const target = invoice.lines.find((l) => `il_${l.id}` === line.invoiceLineItemId);
    if (!target) throw invalidRequest(`No such invoice line item on invoice ${invoice.id}: '${line.invoiceLineItemId}'`, param);
    if (target.amount <= 0) throw invalidRequest(`Invoice line item '${line.invoiceLineItemId}' has nothing to credit.`, param);
    if ((line.quantity === undefined) === (line.amount === undefined)) {
      throw invalidRequest('Give exactly one of quantity or amount for an invoice_line_item line.', `lines[${i}][quantity]`);
    }
    let amount: number;
    if (line.quantity !== undefined) {
      if (line.quantity > target.quantity) throw invalidRequest(`The quantity (${line.quantity}) exceeds the invoice line's (${target.quantity}).`, `lines[${i}][quantity]`);
      amount = Math.round((target.amount * line.quantity) / target.quantity);
    } else {
      amount = line.amount ?? 0;
    }
    const left = target.amount - (creditedByLine.get(line.invoiceLineItemId) ?? 0);
    if (amount > left) throw invalidRequest(`The line amount (${amount}) exceeds what is left to credit on invoice line item '${line.invoiceLineItemId}' (${left}).`, param);
    creditedByLine.set(line.invoiceLineItemId, (creditedByLine.get(line.invoiceLineItemId) ?? 0) + amount);
    return {
      type: line.type,
      invoiceLineItemId: line.invoiceLineItemId,
      quantity: line.quantity ?? null,
      unitAmount: line.quantity !== undefined ? Math.round(target.amount / target.quantity) : null,
      amount,
      description: line.description ?? target.description,
    };
  }
}
