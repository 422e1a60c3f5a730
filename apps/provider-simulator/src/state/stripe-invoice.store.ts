import { randomId } from '../shared/random-id';
import type { Metadata } from './stripe.store';

/** One line of an invoice: a subscription item for a period, or an invoice item (a proration or a one-off amount). */
export interface InvoiceLineRecord {
  id: string;
  amount: number;
  currency: string;
  description: string | null;
  quantity: number;
  /** Null for an invoice item made of an amount alone. */
  priceId: string | null;
  periodStart: number;
  periodEnd: number;
  proration: boolean;
  subscriptionItemId: string | null;
  /** Set when the line comes from a pending invoice item (prorations). */
  invoiceItemId: string | null;
}

/**
 * An invoice item: a proration, or an amount created through `POST /v1/invoiceitems`. Pending
 * (`invoiceId` null) until the next invoice of its subscription takes it; one without a
 * subscription goes on the customer's next subscription invoice, whichever subscription it is.
 */
export interface InvoiceItemRecord {
  id: string;
  created: number;
  customerId: string;
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  /** Null for an item made of an amount alone. */
  priceId: string | null;
  amount: number;
  currency: string;
  description: string | null;
  quantity: number;
  periodStart: number;
  periodEnd: number;
  proration: boolean;
  metadata: Metadata;
  invoiceId: string | null;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';

export type BillingReason = 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual';

export interface InvoiceRecord {
  id: string;
  number: string;
  created: number;
  customerId: string;
  subscriptionId: string | null;
  /** The subscription's metadata when the invoice was made. */
  subscriptionMetadata: Metadata | null;
  billingReason: BillingReason;
  currency: string;
  lines: InvoiceLineRecord[];
  /** Sum of the lines. */
  total: number;
  /** Customer balance before (negative: credit) and after this invoice. */
  startingBalance: number;
  endingBalance: number;
  amountDue: number;
  amountPaid: number;
  status: InvoiceStatus;
  attempted: boolean;
  attemptCount: number;
  periodStart: number;
  periodEnd: number;
  finalizedAt: number | null;
  paidAt: number | null;
  /** What credit notes took off: before payment (out of the amount due) and after it. */
  prePaymentCreditNotesAmount: number;
  postPaymentCreditNotesAmount: number;
}

export type NewInvoice = Omit<
  InvoiceRecord,
  'id' | 'status' | 'attempted' | 'attemptCount' | 'paidAt' | 'amountPaid' | 'prePaymentCreditNotesAmount' | 'postPaymentCreditNotesAmount'
>;

/** Stripe's invoices and pending invoice items, newest last. */
export class StripeInvoiceStore {
  private readonly invoices = new Map<string, InvoiceRecord>();
  private readonly items = new Map<string, InvoiceItemRecord>();

  create(input: NewInvoice): InvoiceRecord {
    const invoice: InvoiceRecord = {
      id: randomId('in_', 24),
      status: 'open',
      attempted: false,
      attemptCount: 0,
      paidAt: null,
      amountPaid: 0,
      prePaymentCreditNotesAmount: 0,
      postPaymentCreditNotesAmount: 0,
      ...input,
    };
    this.invoices.set(invoice.id, invoice);
    return invoice;
  }

  get(id: string): InvoiceRecord | undefined {
    return this.invoices.get(id);
  }

  /** Newest first, as Stripe lists. */
  list(filter: { customerId?: string; subscriptionId?: string; status?: string } = {}): InvoiceRecord[] {
    return [...this.invoices.values()]
      .filter(
        (invoice) =>
          (!filter.customerId || invoice.customerId === filter.customerId) &&
          (!filter.subscriptionId || invoice.subscriptionId === filter.subscriptionId) &&
          (!filter.status || invoice.status === filter.status),
      )
      .reverse();
  }

  addPendingItem(input: Omit<InvoiceItemRecord, 'id' | 'invoiceId' | 'metadata'> & { metadata?: Metadata }): InvoiceItemRecord {
    const item: InvoiceItemRecord = { id: randomId('ii_', 24), invoiceId: null, ...input, metadata: input.metadata ?? {} };
    this.items.set(item.id, item);
    return item;
  }

  getItem(id: string): InvoiceItemRecord | undefined {
    return this.items.get(id);
  }

  /**
   * What the subscription's next invoice takes, oldest first: its own pending items, and the
   * customer's pending items that name no subscription (Stripe's rule for `subscription` left blank).
   */
  pendingItems(subscription: { id: string; customerId: string }): InvoiceItemRecord[] {
    return [...this.items.values()].filter(
      (item) =>
        item.invoiceId === null &&
        (item.subscriptionId === subscription.id || (item.subscriptionId === null && item.customerId === subscription.customerId)),
    );
  }

  /** Newest first, as Stripe lists; `pending`: only those not on an invoice yet (false: only invoiced ones). */
  listItems(filter: { customerId?: string; invoiceId?: string; pending?: boolean } = {}): InvoiceItemRecord[] {
    return [...this.items.values()]
      .filter(
        (item) =>
          (!filter.customerId || item.customerId === filter.customerId) &&
          (!filter.invoiceId || item.invoiceId === filter.invoiceId) &&
          (filter.pending === undefined || (item.invoiceId === null) === filter.pending),
      )
      .reverse();
  }

  listAllItems(): InvoiceItemRecord[] {
    return [...this.items.values()];
  }

  markInvoiced(items: readonly InvoiceItemRecord[], invoiceId: string): void {
    for (const item of items) item.invoiceId = invoiceId;
  }

  listAll(): InvoiceRecord[] {
    return [...this.invoices.values()];
  }

  clear(): void {
    this.invoices.clear();
    this.items.clear();
  }
}
