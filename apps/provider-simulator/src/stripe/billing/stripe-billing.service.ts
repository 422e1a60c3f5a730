import type { PaymentOutcomeStore } from '../../state/payment-outcome.store';
import type { BillingReason, InvoiceItemRecord, InvoiceLineRecord, InvoiceRecord, StripeInvoiceStore } from '../../state/stripe-invoice.store';
import { mergeMetadata, type Metadata, type NewItem, type StripeStore, type SubscriptionItemRecord, type SubscriptionRecord } from '../../state/stripe.store';
import { randomId } from '../../shared/random-id';
import type { StripeEventBatch } from '../stripe-events';
import { previousAttributes } from '../stripe-events';
import { toInvoiceObject } from '../stripe-invoice.mapper';
import { toSubscriptionObject } from '../stripe-objects.mapper';
import { addMonths, periodEndAfter } from './billing-periods';
import { applyBalance, prorationLines, type ItemState } from './proration';

export type ProrationBehavior = 'create_prorations' | 'none' | 'always_invoice';

/** One change to a subscription's items, validated by the caller. */
export type ItemChange =
  | { kind: 'add'; item: NewItem }
  | { kind: 'delete'; itemId: string }
  | { kind: 'update'; itemId: string; priceId?: string; quantity?: number; metadata?: Metadata };

/**
 * What Stripe does with money for subscriptions: first invoices, trials, prorations, renewals
 * and charges. Every change raises its events into the caller's batch. Time comes from the
 * store's clock (a Stripe test clock, in effect).
 */
export class StripeBilling {
  constructor(
    private readonly store: StripeStore,
    private readonly invoices: StripeInvoiceStore,
    private readonly payments: PaymentOutcomeStore,
  ) {}

  private get now(): number {
    return this.store.clock.now();
  }

  /**
   * A subscription and its first invoice: the first period charged now, or $0 with a trial.
   * `prepaid`: Checkout already charged the card, so the invoice is paid without a new charge.
   */
  createSubscription(
    input: { customerId: string; items: NewItem[]; metadata: Metadata; trialEnd: number | null; prepaid?: boolean },
    batch: StripeEventBatch,
  ): { subscription: SubscriptionRecord; invoice: InvoiceRecord; paid: boolean } {
    const now = this.now;
    const periodEnd = input.trialEnd ?? addMonths(now, 1);
    const subscription = this.store.createSubscription({ ...input, periodEnd });
    const trial = input.trialEnd !== null;
    const invoice = this.createInvoice(subscription, 'subscription_create', this.periodLines(subscription, now, periodEnd, trial), []);
    const paid = input.prepaid ? this.markPaid(invoice) : this.attemptCharge(invoice);
    if (!paid) subscription.status = 'incomplete';
    batch.add('customer.subscription.created', this.subscriptionObject(subscription));
    this.raiseInvoiceOutcome(invoice, paid, batch);
    return { subscription, invoice, paid };
  }

  /** Applies item changes, prorating as `behavior` says (never during a trial). */
  changeItems(
    subscription: SubscriptionRecord,
    changes: readonly ItemChange[],
    behavior: ProrationBehavior,
    prorationDate: number,
    batch: StripeEventBatch,
  ): void {
    const before = new Map(subscription.items.map((item) => [item.id, this.itemState(item)]));
    for (const change of changes) this.applyChange(subscription, change);
    if (behavior === 'none' || subscription.status === 'trialing') return;
    const after = new Map(subscription.items.map((item) => [item.id, this.itemState(item)]));
    const period = { start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd };
    for (const itemId of new Set([...before.keys(), ...after.keys()])) {
      for (const line of prorationLines(before.get(itemId) ?? null, after.get(itemId) ?? null, period, prorationDate)) {
        const price = this.store.price(line.priceId);
        const verb = line.kind === 'unused' ? 'Unused' : 'Remaining';
        this.invoices.addPendingItem({
          created: this.now,
          customerId: subscription.customerId,
          subscriptionId: subscription.id,
          subscriptionItemId: after.has(itemId) ? itemId : null,
          priceId: price.id,
          amount: line.amount,
          currency: price.currency,
          description: `${verb} time on ${line.quantity} × ${price.productName} after ${dateLabel(line.periodStart)}`,
          quantity: line.quantity,
          periodStart: line.periodStart,
          periodEnd: line.periodEnd,
          proration: true,
        });
      }
    }
    // The invoice takes every pending item of the subscription, not only these prorations.
    if (behavior === 'always_invoice') this.invoicePendingNow(subscription, batch);
  }

  /** Ends the trial now (`trial_end: 'now'`): a period starts and its invoice is charged at once. */
  endTrial(subscription: SubscriptionRecord, batch: StripeEventBatch, reason: BillingReason = 'subscription_update', at = this.now): void {
    const before = this.subscriptionObject(subscription);
    subscription.trialEnd = at;
    subscription.status = 'active';
    subscription.billingCycleAnchor = at;
    this.startPeriod(subscription, at, addMonths(at, 1), reason, batch, before);
  }

  /** Moves a running trial's end (a later or earlier instant, still in the future). */
  moveTrialEnd(subscription: SubscriptionRecord, trialEnd: number): void {
    subscription.trialEnd = trialEnd;
    subscription.currentPeriodEnd = trialEnd;
    subscription.billingCycleAnchor = trialEnd;
  }

  /** Renews every subscription whose period (or trial) ended by `now`, oldest boundary first. */
  renewDue(now: number, batchFor: () => StripeEventBatch): number {
    let renewals = 0;
    for (;;) {
      const due = this.store
        .listSubscriptions()
        .filter((s) => s.status !== 'canceled' && s.status !== 'incomplete' && s.currentPeriodEnd <= now)
        .sort((a, b) => a.currentPeriodEnd - b.currentPeriodEnd)[0];
      if (!due) return renewals;
      const batch = batchFor();
      this.renew(due, batch);
      batch.dispatch();
      renewals += 1;
    }
  }

  /** `POST /v1/invoices/:id/pay`: charges an open invoice again. */
  payInvoice(invoice: InvoiceRecord, batch: StripeEventBatch): boolean {
    const paid = this.attemptCharge(invoice);
    this.raiseInvoiceOutcome(invoice, paid, batch);
    if (paid) this.reactivateIfSettled(invoice, batch);
    return paid;
  }

  /** An open invoice that asks for nothing more (credit notes took off what was due): paid without a charge. */
  settleWithoutCharge(invoice: InvoiceRecord, batch: StripeEventBatch): void {
    this.markPaid(invoice);
    this.raiseInvoiceOutcome(invoice, true, batch);
    this.reactivateIfSettled(invoice, batch);
  }

  /** A `past_due` (or `incomplete`) subscription with no invoice left open is `active` again. */
  private reactivateIfSettled(invoice: InvoiceRecord, batch: StripeEventBatch): void {
    const subscription = invoice.subscriptionId ? this.store.getSubscription(invoice.subscriptionId) : undefined;
    if (subscription && (subscription.status === 'past_due' || subscription.status === 'incomplete')) {
      const stillOpen = this.invoices.list({ subscriptionId: subscription.id, status: 'open' }).length > 0;
      if (!stillOpen) this.updateStatus(subscription, 'active', batch);
    }
  }

  cancel(subscription: SubscriptionRecord, batch: StripeEventBatch, at = this.now): void {
    this.store.cancel(subscription, at);
    batch.add('customer.subscription.deleted', this.subscriptionObject(subscription));
  }

  subscriptionObject(subscription: SubscriptionRecord): Record<string, unknown> {
    return toSubscriptionObject(subscription, this.store);
  }

  private renew(subscription: SubscriptionRecord, batch: StripeEventBatch): void {
    const at = subscription.currentPeriodEnd;
    if (subscription.cancelAtPeriodEnd) return this.cancel(subscription, batch, at);
    if (subscription.status === 'trialing') return this.endTrial(subscription, batch, 'subscription_cycle', at);
    this.startPeriod(subscription, at, periodEndAfter(subscription.billingCycleAnchor, at), 'subscription_cycle', batch);
  }

  /** A new period [start, end): invoiced with the pending invoice items (prorations and others), charged, events raised. */
  private startPeriod(
    subscription: SubscriptionRecord,
    start: number,
    end: number,
    reason: BillingReason,
    batch: StripeEventBatch,
    before = this.subscriptionObject(subscription),
  ): void {
    subscription.currentPeriodStart = start;
    subscription.currentPeriodEnd = end;
    const pending = this.invoices.pendingItems(subscription);
    const invoice = this.createInvoice(subscription, reason, this.periodLines(subscription, start, end, false), pending, start);
    const paid = this.attemptCharge(invoice, start);
    if (!paid) subscription.status = 'past_due';
    const after = this.subscriptionObject(subscription);
    batch.add('customer.subscription.updated', after, previousAttributes(before, after));
    this.raiseInvoiceOutcome(invoice, paid, batch);
  }

  private invoicePendingNow(subscription: SubscriptionRecord, batch: StripeEventBatch): void {
    const pending = this.invoices.pendingItems(subscription);
    if (pending.length === 0) return;
    const invoice = this.createInvoice(subscription, 'subscription_update', [], pending);
    const paid = this.attemptCharge(invoice);
    if (!paid) this.updateStatus(subscription, 'past_due', batch);
    this.raiseInvoiceOutcome(invoice, paid, batch);
  }

  private updateStatus(subscription: SubscriptionRecord, status: SubscriptionRecord['status'], batch: StripeEventBatch): void {
    if (subscription.status === status) return;
    const before = this.subscriptionObject(subscription);
    subscription.status = status;
    const after = this.subscriptionObject(subscription);
    batch.add('customer.subscription.updated', after, previousAttributes(before, after));
  }

  /** One line per item for [start, end): unit × quantity, or $0 during a trial. */
  private periodLines(subscription: SubscriptionRecord, start: number, end: number, trial: boolean): InvoiceLineRecord[] {
    return subscription.items.map((item) => {
      const price = this.store.price(item.priceId);
      return {
        id: randomId('', 24),
        amount: trial ? 0 : price.unitAmount * item.quantity,
        currency: price.currency,
        description: trial
          ? `Trial period for ${price.productName}`
          : `${item.quantity} × ${price.productName} (at ${money(price.unitAmount, price.currency)} / month)`,
        quantity: item.quantity,
        priceId: price.id,
        periodStart: start,
        periodEnd: end,
        proration: false,
        subscriptionItemId: item.id,
        invoiceItemId: null,
      };
    });
  }

  private createInvoice(
    subscription: SubscriptionRecord,
    reason: BillingReason,
    periodLines: InvoiceLineRecord[],
    pending: InvoiceItemRecord[],
    at = this.now,
  ): InvoiceRecord {
    const customer = this.store.getCustomer(subscription.customerId);
    if (!customer) throw new Error(`customer ${subscription.customerId} vanished`);
    const lines = [...pending.map(lineOfItem), ...periodLines];
    const total = lines.reduce((sum, line) => sum + line.amount, 0);
    const { amountDue, endingBalance } = applyBalance(total, customer.balance);
    customer.invoiceSequence += 1;
    const invoice = this.invoices.create({
      number: `${customer.id.slice(4, 12).toUpperCase()}-${String(customer.invoiceSequence).padStart(4, '0')}`,
      created: at,
      customerId: customer.id,
      subscriptionId: subscription.id,
      subscriptionMetadata: { ...subscription.metadata },
      billingReason: reason,
      currency: lines[0]?.currency ?? 'usd',
      lines,
      total,
      startingBalance: customer.balance,
      endingBalance,
      amountDue,
      periodStart: at,
      periodEnd: at,
      finalizedAt: at,
    });
    customer.balance = endingBalance;
    this.invoices.markInvoiced(pending, invoice.id);
    subscription.latestInvoiceId = invoice.id;
    return invoice;
  }

  /** Charges the amount due; $0 is paid without a charge. False when the card is declined. */
  private attemptCharge(invoice: InvoiceRecord, at = this.now): boolean {
    if (invoice.amountDue === 0) return this.markPaid(invoice, at);
    invoice.attempted = true;
    invoice.attemptCount += 1;
    if (this.payments.takeCharge({ customerId: invoice.customerId, subscriptionId: invoice.subscriptionId }) !== null) return false;
    return this.markPaid(invoice, at);
  }

  private markPaid(invoice: InvoiceRecord, at = this.now): true {
    invoice.status = 'paid';
    invoice.attempted = true;
    invoice.amountPaid = invoice.amountDue;
    invoice.paidAt = at;
    return true;
  }

  private raiseInvoiceOutcome(invoice: InvoiceRecord, paid: boolean, batch: StripeEventBatch): void {
    const object = toInvoiceObject(invoice, this.store);
    if (paid) {
      batch.add('invoice.paid', object);
      batch.add('invoice.payment_succeeded', object);
    } else {
      batch.add('invoice.payment_failed', object);
    }
  }

  private itemState(item: SubscriptionItemRecord): ItemState {
    return { priceId: item.priceId, unitAmount: this.store.price(item.priceId).unitAmount, quantity: item.quantity };
  }

  private applyChange(subscription: SubscriptionRecord, change: ItemChange): void {
    if (change.kind === 'add') {
      this.store.addItem(subscription, change.item);
      return;
    }
    if (change.kind === 'delete') {
      this.store.removeItem(subscription, change.itemId);
      return;
    }
    const target = subscription.items.find((item) => item.id === change.itemId);
    if (!target) return;
    if (change.priceId) {
      this.store.price(change.priceId);
      target.priceId = change.priceId;
    }
    if (change.quantity !== undefined) target.quantity = change.quantity;
    if (change.metadata) target.metadata = mergeMetadata(target.metadata, change.metadata);
  }
}

function lineOfItem(item: InvoiceItemRecord): InvoiceLineRecord {
  return {
    id: randomId('', 24),
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    quantity: item.quantity,
    priceId: item.priceId,
    periodStart: item.periodStart,
    periodEnd: item.periodEnd,
    proration: item.proration,
    subscriptionItemId: item.subscriptionItemId,
    invoiceItemId: item.id,
  };
}

function dateLabel(unix: number): string {
  return new Date(unix * 1000).toUTCString().slice(5, 16);
}

function money(cents: number, currency: string): string {
  return `${currency === 'usd' ? '$' : `${currency.toUpperCase()} `}${(cents / 100).toFixed(2)}`;
}
