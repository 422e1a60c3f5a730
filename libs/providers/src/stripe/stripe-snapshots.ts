import type Stripe from 'stripe';
import type { CheckoutSessionSnapshot, CreditNoteSnapshot, InvoiceItemSnapshot, InvoiceLineSnapshot, InvoiceSnapshot, SubscriptionSnapshot } from '../ports/stripe.gateway';

/** Stripe SDK objects reduced to the port's snapshots. */
export function toSubscriptionSnapshot(subscription: Stripe.Subscription): SubscriptionSnapshot {
  const items = subscription.items.data.map((item) => ({
    id: item.id,
    priceId: item.price.id,
    quantity: item.quantity ?? 0,
    unitAmountCents: item.price.unit_amount ?? null,
    currency: item.price.currency,
  }));
  const first = subscription.items.data[0];
  return {
    id: subscription.id,
    customerId: idOf(subscription.customer) ?? '',
    status: subscription.status,
    items,
    quantity: items.reduce((sum, item) => sum + item.quantity, 0),
    metadata: { ...subscription.metadata },
    trialEnd: subscription.trial_end ?? null,
    currentPeriodStart: first?.current_period_start ?? null,
    currentPeriodEnd: first?.current_period_end ?? null,
    latestInvoiceId: idOf(subscription.latest_invoice),
  };
}

export function toCheckoutSnapshot(session: Stripe.Checkout.Session): CheckoutSessionSnapshot {
  return {
    id: session.id,
    url: session.url,
    status: session.status ?? 'open',
    paymentStatus: session.payment_status,
    customerId: idOf(session.customer),
    subscriptionId: idOf(session.subscription),
    clientReferenceId: session.client_reference_id,
    metadata: { ...session.metadata },
    expiresAt: session.expires_at,
  };
}

/** `lines`: all of them, when the invoice's own list was cut short (`has_more`). */
export function toInvoiceSnapshot(invoice: Stripe.Invoice, lines: Stripe.InvoiceLineItem[] = invoice.lines.data): InvoiceSnapshot {
  return {
    id: invoice.id ?? '',
    customerId: idOf(invoice.customer) ?? '',
    status: invoice.status ?? 'draft',
    billingReason: invoice.billing_reason,
    subscriptionId: idOf(invoice.parent?.subscription_details?.subscription ?? null),
    currency: invoice.currency,
    total: invoice.total,
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    attemptCount: invoice.attempt_count,
    created: invoice.created,
    lines: lines.map(toInvoiceLineSnapshot),
  };
}

function toInvoiceLineSnapshot(line: Stripe.InvoiceLineItem): InvoiceLineSnapshot {
  const fromItem = line.parent?.invoice_item_details ?? null;
  const fromSubscription = line.parent?.subscription_item_details ?? null;
  return {
    id: line.id,
    amount: line.amount,
    proration: fromSubscription?.proration ?? fromItem?.proration ?? false,
    quantity: line.quantity,
    periodStart: line.period.start,
    periodEnd: line.period.end,
    description: line.description,
    invoiceItemId: fromItem ? idOf(fromItem.invoice_item) : null,
    subscriptionItemId: fromSubscription ? idOf(fromSubscription.subscription_item ?? null) : null,
  };
}

export function toCreditNoteSnapshot(note: Stripe.CreditNote): CreditNoteSnapshot {
  const refunded = (note.refunds ?? []).reduce((sum, refund) => sum + (refund.amount_refunded ?? 0), 0);
  return {
    id: note.id,
    invoiceId: idOf(note.invoice) ?? '',
    customerId: idOf(note.customer) ?? '',
    total: note.total,
    prePaymentAmount: note.pre_payment_amount,
    postPaymentAmount: note.post_payment_amount,
    creditAmount: note.post_payment_amount - refunded - (note.out_of_band_amount ?? 0),
    currency: note.currency,
    status: note.status,
    created: note.created,
    metadata: { ...note.metadata },
  };
}

export function toInvoiceItemSnapshot(item: Stripe.InvoiceItem): InvoiceItemSnapshot {
  return {
    id: item.id,
    amountCents: item.amount,
    currency: item.currency,
    subscriptionId: idOf(item.parent?.subscription_details?.subscription ?? null),
    invoiceId: idOf(item.invoice),
    periodStart: item.period.start,
    periodEnd: item.period.end,
    metadata: { ...item.metadata },
  };
}

function idOf(value: string | { id?: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : (value.id ?? null);
}
