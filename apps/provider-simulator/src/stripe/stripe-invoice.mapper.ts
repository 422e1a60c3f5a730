import type { InvoiceItemRecord, InvoiceLineRecord, InvoiceRecord } from '../state/stripe-invoice.store';
import type { StripeStore } from '../state/stripe.store';

/** Stripe's `pricing` of a line or invoice item: the price it came from, null for an amount alone. */
function pricingOf(priceId: string | null, store: StripeStore): Record<string, unknown> | null {
  if (priceId === null) return null;
  const price = store.price(priceId);
  return { type: 'price_details', price_details: { price: price.id, product: price.productId }, unit_amount_decimal: String(price.unitAmount) };
}

/** An invoice line (`object: 'line_item'`) as the current API shapes it: proration under `parent`. */
export function toInvoiceLineObject(line: InvoiceLineRecord, invoice: InvoiceRecord, store: StripeStore): Record<string, unknown> {
  const fromItem = line.invoiceItemId !== null;
  return {
    id: `il_${line.id}`,
    object: 'line_item',
    amount: line.amount,
    currency: line.currency,
    description: line.description,
    discount_amounts: [],
    discountable: !line.proration,
    discounts: [],
    invoice: invoice.id,
    livemode: false,
    metadata: {},
    parent: fromItem
      ? {
          type: 'invoice_item_details',
          invoice_item_details: { invoice_item: line.invoiceItemId, proration: line.proration, proration_details: { credited_items: null }, subscription: invoice.subscriptionId },
          subscription_item_details: null,
        }
      : {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: line.proration,
            proration_details: { credited_items: null },
            subscription: invoice.subscriptionId,
            subscription_item: line.subscriptionItemId,
          },
        },
    period: { start: line.periodStart, end: line.periodEnd },
    pretax_credit_amounts: [],
    pricing: pricingOf(line.priceId, store),
    quantity: line.quantity,
    quantity_decimal: String(line.quantity),
    subscription: invoice.subscriptionId,
    subtotal: line.amount,
    taxes: [],
  };
}

/** An invoice item (`object: 'invoiceitem'`) as the current API shapes it: its subscription under `parent`. */
export function toInvoiceItemObject(item: InvoiceItemRecord, store: StripeStore): Record<string, unknown> {
  return {
    id: item.id,
    object: 'invoiceitem',
    amount: item.amount,
    currency: item.currency,
    customer: item.customerId,
    customer_account: null,
    date: item.created,
    description: item.description,
    discountable: !item.proration,
    discounts: [],
    invoice: item.invoiceId,
    livemode: false,
    metadata: item.metadata,
    net_amount: item.amount,
    parent: item.subscriptionId
      ? {
          type: 'subscription_details',
          subscription_details: { subscription: item.subscriptionId, ...(item.subscriptionItemId ? { subscription_item: item.subscriptionItemId } : {}) },
        }
      : null,
    period: { start: item.periodStart, end: item.periodEnd },
    pricing: pricingOf(item.priceId, store),
    proration: item.proration,
    proration_details: { credited_items: null, discount_amounts: [] },
    quantity: item.quantity,
    quantity_decimal: String(item.quantity),
    tax_rates: [],
    test_clock: null,
  };
}

export function toInvoiceObject(invoice: InvoiceRecord, store: StripeStore): Record<string, unknown> {
  const customer = store.getCustomer(invoice.customerId);
  const paid = invoice.status === 'paid';
  return {
    id: invoice.id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Numbers (simulated)',
    account_tax_ids: null,
    amount_due: invoice.amountDue,
    amount_overpaid: 0,
    amount_paid: invoice.amountPaid,
    amount_remaining: invoice.amountDue - invoice.amountPaid,
    amount_shipping: 0,
    application: null,
    attempt_count: invoice.attemptCount,
    attempted: invoice.attempted,
    auto_advance: !paid,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: invoice.billingReason,
    collection_method: 'charge_automatically',
    created: invoice.created,
    currency: invoice.currency,
    custom_fields: null,
    customer: invoice.customerId,
    customer_account: null,
    customer_address: null,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: invoice.finalizedAt,
    ending_balance: invoice.endingBalance,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: 'list',
      data: invoice.lines.map((line) => toInvoiceLineObject(line, invoice, store)),
      has_more: false,
      total_count: invoice.lines.length,
      url: `/v1/invoices/${invoice.id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: invoice.number,
    on_behalf_of: null,
    parent: invoice.subscriptionId
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: { metadata: invoice.subscriptionMetadata, subscription: invoice.subscriptionId },
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: invoice.periodEnd,
    period_start: invoice.periodStart,
    post_payment_credit_notes_amount: invoice.postPaymentCreditNotesAmount,
    pre_payment_credit_notes_amount: invoice.prePaymentCreditNotesAmount,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: invoice.startingBalance,
    statement_descriptor: null,
    status: invoice.status,
    status_transitions: { finalized_at: invoice.finalizedAt, marked_uncollectible_at: null, paid_at: invoice.paidAt, voided_at: null },
    subtotal: invoice.total,
    subtotal_excluding_tax: invoice.total,
    test_clock: null,
    total: invoice.total,
    total_discount_amounts: [],
    total_excluding_tax: invoice.total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: invoice.created,
  };
}
