import type { CreditNoteLineRecord, CreditNoteRecord } from '../state/stripe-credit-note.store';

function toCreditNoteLineObject(line: CreditNoteLineRecord): Record<string, unknown> {
  return {
    id: line.id,
    object: 'credit_note_line_item',
    amount: line.amount,
    description: line.description,
    discount_amount: 0,
    discount_amounts: [],
    invoice_line_item: line.invoiceLineItemId,
    livemode: false,
    metadata: {},
    pretax_credit_amounts: [],
    quantity: line.quantity,
    tax_rates: [],
    taxes: [],
    type: line.type,
    unit_amount: line.unitAmount,
    unit_amount_decimal: line.unitAmount === null ? null : String(line.unitAmount),
  };
}

/** A credit note (`object: 'credit_note'`) as the current API shapes it. */
export function toCreditNoteObject(note: CreditNoteRecord): Record<string, unknown> {
  return {
    id: note.id,
    object: 'credit_note',
    amount: note.amount,
    amount_shipping: 0,
    created: note.created,
    currency: note.currency,
    customer: note.customerId,
    customer_account: null,
    customer_balance_transaction: note.customerBalanceTransactionId,
    discount_amount: 0,
    discount_amounts: [],
    effective_at: note.created,
    invoice: note.invoiceId,
    lines: {
      object: 'list',
      data: note.lines.map(toCreditNoteLineObject),
      has_more: false,
      total_count: note.lines.length,
      url: `/v1/credit_notes/${note.id}/lines`,
    },
    livemode: false,
    memo: note.memo,
    metadata: note.metadata,
    number: note.number,
    out_of_band_amount: note.outOfBandAmount > 0 ? note.outOfBandAmount : null,
    pdf: `https://pay.stripe.com/credit_notes/${note.id}/pdf`,
    post_payment_amount: note.postPaymentAmount,
    pre_payment_amount: note.prePaymentAmount,
    pretax_credit_amounts: [],
    reason: note.reason,
    refunds: note.refundAmount > 0 ? [{ amount_refunded: note.refundAmount, refund: `re_${note.id.slice(3)}`, type: 'refund' }] : [],
    shipping_cost: null,
    status: note.status,
    subtotal: note.amount,
    subtotal_excluding_tax: note.amount,
    total: note.amount,
    total_excluding_tax: note.amount,
    total_taxes: [],
    type: note.prePaymentAmount > 0 && note.postPaymentAmount === 0 ? 'pre_payment' : note.prePaymentAmount === 0 ? 'post_payment' : 'mixed',
    voided_at: null,
  };
}
