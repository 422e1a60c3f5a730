import type { ProviderName } from '../shared/provider-name';
import type { SimulatorContext } from '../simulator.context';
import type { FaultRule } from '../state/fault-rule.store';
import type { MetaNumberRecord } from '../state/meta.store';
import type { InboundMessageRecord } from '../state/telnyx-message.store';
import type { NumberOrderRecord } from '../state/telnyx-order.store';
import type { AddressRecord, DocumentRecord } from '../state/telnyx-regulatory-records.store';
import type { CommentRecord, RequirementGroupRecord } from '../state/telnyx-requirement-group.store';
import type { RequestLogEntry } from '../state/request-log.store';
import type { Metadata } from '../state/stripe.store';
import type { TelnyxNumberRecord } from '../state/telnyx.store';
import type { WebhookDeliveryRecord } from '../state/webhook-delivery-log.store';
import type { WebhookDeliveryPolicy } from '../webhooks/webhook-delivery.policy';

/** The body of `GET /_sim/state`. */
export interface InvoiceSummary {
  id: string;
  customer: string;
  subscription: string | null;
  billingReason: string;
  status: string;
  total: number;
  amountDue: number;
  amountPaid: number;
  created: number;
  /** What credit notes took off, before and after payment. */
  prePaymentCreditNotesAmount: number;
  postPaymentCreditNotesAmount: number;
  lines: { id: string; amount: number; quantity: number; proration: boolean; description: string | null; periodStart: number; periodEnd: number }[];
}

/** A credit note: `amount` taken off `invoice`, `creditAmount` of it to the customer's balance. */
export interface CreditNoteSummary {
  id: string;
  customer: string;
  invoice: string;
  amount: number;
  creditAmount: number;
  refundAmount: number;
  prePaymentAmount: number;
  postPaymentAmount: number;
  lines: { invoiceLineItem: string | null; quantity: number | null; amount: number }[];
  metadata: Metadata;
  created: number;
}

/** An invoice item (a proration or `POST /v1/invoiceitems`); `invoice` null while pending. */
export interface InvoiceItemSummary {
  id: string;
  customer: string;
  subscription: string | null;
  amount: number;
  currency: string;
  description: string | null;
  periodStart: number;
  periodEnd: number;
  proration: boolean;
  metadata: Metadata;
  invoice: string | null;
  created: number;
}

export interface SimulatorStateDump {
  clock: { now: number; frozen: boolean };
  stripe: {
    /** `balance`: cents, negative is credit the next invoices use (credit notes, negative invoices). */
    customers: { id: string; name: string | null; email: string | null; metadata: Metadata; balance: number; created: number }[];
    subscriptions: {
      id: string;
      customer: string;
      status: string;
      trialEnd: number | null;
      currentPeriodStart: number;
      currentPeriodEnd: number;
      latestInvoice: string | null;
      /** Sum of the items' quantities. */
      quantity: number;
      items: { id: string; price: string; quantity: number }[];
      metadata: Metadata;
      cancelAtPeriodEnd: boolean;
      canceledAt: number | null;
      created: number;
    }[];
    checkoutSessions: { id: string; status: string; paymentStatus: string; customer: string | null; subscription: string | null; metadata: Metadata }[];
    invoices: InvoiceSummary[];
    invoiceItems: InvoiceItemSummary[];
    creditNotes: CreditNoteSummary[];
    /** Charges armed to fail. */
    failingPayments: number;
  };
  telnyx: {
    numbers: TelnyxNumberRecord[];
    orders: NumberOrderRecord[];
    messages: InboundMessageRecord[];
    unavailableCountries: string[];
    /** Requirement groups, the reviewers' comments on them, and the countries that need one to order. */
    requirementGroups: RequirementGroupRecord[];
    comments: CommentRecord[];
    kycCountries: string[];
    /** Addresses and documents the account created, which requirement groups reference by id. */
    addresses: AddressRecord[];
    documents: DocumentRecord[];
  };
  meta: { numbers: MetaNumberRecord[] };
  requests: { stripe: RequestLogEntry[]; telnyx: RequestLogEntry[]; meta: RequestLogEntry[] };
  faults: FaultRule[];
  webhooks: { policy: WebhookDeliveryPolicy; deliveries: WebhookDeliveryRecord[] };
  /** Counted since the last reset, uncapped (the lists above keep only the newest entries). */
  totals: { requests: Partial<Record<ProviderName, number>>; webhookAttempts: number };
}

/** `GET /_sim/state`: everything the simulator holds, in a shape tests read easily. */
export function dumpState({ state, webhooks }: SimulatorContext): SimulatorStateDump {
  return {
    clock: { now: state.clock.now(), frozen: state.clock.isFrozen() },
    stripe: {
      customers: state.stripe.listCustomers().map((customer) => ({
        id: customer.id,
        name: customer.name,
        email: customer.email,
        metadata: customer.metadata,
        balance: customer.balance,
        created: customer.created,
      })),
      subscriptions: state.stripe.listSubscriptions().map((subscription) => ({
        id: subscription.id,
        customer: subscription.customerId,
        status: subscription.status,
        trialEnd: subscription.trialEnd,
        currentPeriodStart: subscription.currentPeriodStart,
        currentPeriodEnd: subscription.currentPeriodEnd,
        latestInvoice: subscription.latestInvoiceId,
        quantity: subscription.items.reduce((sum, item) => sum + item.quantity, 0),
        items: subscription.items.map((item) => ({ id: item.id, price: item.priceId, quantity: item.quantity })),
        metadata: subscription.metadata,
        cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
        canceledAt: subscription.canceledAt,
        created: subscription.created,
      })),
      checkoutSessions: state.stripeCheckout.list().map((session) => ({
        id: session.id,
        status: session.status,
        paymentStatus: session.paymentStatus,
        customer: session.customerId,
        subscription: session.subscriptionId,
        metadata: session.metadata,
      })),
      invoices: state.stripeInvoices.listAll().map((invoice) => ({
        id: invoice.id,
        customer: invoice.customerId,
        subscription: invoice.subscriptionId,
        billingReason: invoice.billingReason,
        status: invoice.status,
        total: invoice.total,
        amountDue: invoice.amountDue,
        amountPaid: invoice.amountPaid,
        created: invoice.created,
        prePaymentCreditNotesAmount: invoice.prePaymentCreditNotesAmount,
        postPaymentCreditNotesAmount: invoice.postPaymentCreditNotesAmount,
        lines: invoice.lines.map(({ id, amount, quantity, proration, description, periodStart, periodEnd }) => ({
          id: `il_${id}`,
          amount,
          quantity,
          proration,
          description,
          periodStart,
          periodEnd,
        })),
      })),
      invoiceItems: state.stripeInvoices.listAllItems().map((item) => ({
        id: item.id,
        customer: item.customerId,
        subscription: item.subscriptionId,
        amount: item.amount,
        currency: item.currency,
        description: item.description,
        periodStart: item.periodStart,
        periodEnd: item.periodEnd,
        proration: item.proration,
        metadata: item.metadata,
        invoice: item.invoiceId,
        created: item.created,
      })),
      creditNotes: state.stripeCreditNotes.listAll().map((note) => ({
        id: note.id,
        customer: note.customerId,
        invoice: note.invoiceId,
        amount: note.amount,
        creditAmount: note.creditAmount,
        refundAmount: note.refundAmount,
        prePaymentAmount: note.prePaymentAmount,
        postPaymentAmount: note.postPaymentAmount,
        lines: note.lines.map((line) => ({ invoiceLineItem: line.invoiceLineItemId, quantity: line.quantity, amount: line.amount })),
        metadata: note.metadata,
        created: note.created,
      })),
      failingPayments: state.payments.armed(),
    },
    telnyx: {
      numbers: state.telnyx.list(),
      orders: state.telnyxOrders.list(),
      messages: state.telnyxMessages.list(),
      unavailableCountries: state.telnyxInventory.unavailableCountries(),
      requirementGroups: state.telnyxRequirementGroups.list(),
      comments: state.telnyxRequirementGroups.listComments(),
      kycCountries: state.telnyxRequirementGroups.countriesNeedingRequirementGroups(),
      addresses: state.telnyxRegulatoryRecords.listAddresses(),
      documents: state.telnyxRegulatoryRecords.listDocuments(),
    },
    meta: { numbers: state.meta.list() },
    requests: {
      stripe: state.requests.list('stripe'),
      telnyx: state.requests.list('telnyx'),
      meta: state.requests.list('meta'),
    },
    faults: state.faults.list(),
    webhooks: { policy: webhooks.getPolicy(), deliveries: state.webhookDeliveries.list() },
    totals: { requests: state.requests.counts(), webhookAttempts: state.webhookDeliveries.attempts() },
  };
}
