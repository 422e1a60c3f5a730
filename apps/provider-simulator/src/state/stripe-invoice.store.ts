import { randomId } from '../shared/random-id';
import type { Metadata } from './stripe.store';

/** One line of an invoice: a subscription item for a period, or a (proration) invoice item. */
export interface InvoiceLineRecord {
  id: string;
  amount: number;
  currency: string;
  description: string;
  quantity: number;
  priceId: string;
  periodStart: number;
  periodEnd: number;
  proration: boolean;
  subscriptionItemId: string | null;
  /** Set when the line comes from a pending invoice item (prorations). */
  invoiceItemId: string | null;
}

/** A pending invoice item: a proration waiting for the subscription's next invoice. */
export interface InvoiceItemRecord {
  id: string;
  created: number;
  customerId: string;
  subscriptionId: string;
  subscriptionItemId: string | null;
  priceId: string;
  amount: number;
  currency: string;
  description: string;
  quantity: number;
  periodStart: number;
  periodEnd: number;
  proration: boolean;
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
}

export type NewInvoice = Omit<InvoiceRecord, 'id' | 'status' | 'attempted' | 'attemptCount' | 'paidAt' | 'amountPaid'>;

/** Stripe's invoices and pending invoice items, newest last. */
export class StripeInvoiceStore {
  private readonly invoices = new Map<string, InvoiceRecord>();
  private readonly items = new Map<string, InvoiceItemRecord>();

  create(input: NewInvoice): InvoiceRecord {
    const invoice: InvoiceRecord = { id: randomId('in_', 24), status: 'open', attempted: false, attemptCount: 0, paidAt: null, amountPaid: 0, ...input };
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

  addPendingItem(input: Omit<InvoiceItemRecord, 'id' | 'invoiceId'>): InvoiceItemRecord {
    const item: InvoiceItemRecord = { id: randomId('ii_', 24), invoiceId: null, ...input };
    this.items.set(item.id, item);
    return item;
  }

  /** Invoice items of a subscription not yet on an invoice, oldest first. */
  pendingItems(subscriptionId: string): InvoiceItemRecord[] {
    return [...this.items.values()].filter((item) => item.subscriptionId === subscriptionId && item.invoiceId === null);
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
