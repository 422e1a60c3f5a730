import { Injectable, Logger } from '@nestjs/common';
import { formatMoney } from '@numbers/domain';
import { AccountNumberRecords, BillingAccountRepository, NumberLifecycle, type BillingAccount, type Tx } from '@numbers/persistence';
import type { InvoiceSnapshot, SubscriptionSnapshot } from '@numbers/providers';
import { DELINQUENT_SUBSCRIPTION } from './account-billing';

export interface StandingChange {
  /** Numbers that moved (suspended, or active again). */
  moved: string[];
  detail: string;
}

/**
 * Whether the account's numbers may be used, as Stripe says: while its subscription is
 * delinquent (`past_due`, `unpaid`: an invoice is unpaid) its active numbers are `suspended`
 * (`payment_failed`, with the reason); once it is not, they are `active` again
 * (`payment_recovered`; billing does not start again). The caller reads the invoice and the
 * account's subscription from Stripe each time (before its transaction), so events arriving late
 * or out of order converge on Stripe's truth: a failed payment of an invoice that is paid by now
 * suspends nothing. The subscription's status is recorded when it changed.
 */
@Injectable()
export class PaymentStanding {
  private readonly logger = new Logger(PaymentStanding.name);

  constructor(
    private readonly lifecycle: NumberLifecycle,
    private readonly billingAccounts: BillingAccountRepository,
    private readonly numbers: AccountNumberRecords,
  ) {}

  /** `invoice.payment_failed`: suspend, if the invoice is still unpaid and the subscription delinquent. */
  async paymentFailed(tx: Tx, billing: BillingAccount, invoice: InvoiceSnapshot, subscription: SubscriptionSnapshot | null, cause: string): Promise<StandingChange> {
    if (!billing.stripeSubscriptionId || invoice.subscriptionId !== billing.stripeSubscriptionId) {
      return { moved: [], detail: `invoice ${invoice.id} is not for the account's subscription` };
    }
    if (invoice.status !== 'open') return { moved: [], detail: `invoice ${invoice.id} is ${invoice.status} now: nothing to suspend` };
    const status = await this.recordStatus(tx, billing, subscription);
    if (!DELINQUENT_SUBSCRIPTION.includes(status)) return { moved: [], detail: `subscription ${billing.stripeSubscriptionId} is ${status}: nothing to suspend` };

    const reason = `payment failed: invoice ${invoice.id} (${formatMoney(invoice.amountDue - invoice.amountPaid, invoice.currency)} due, attempt ${invoice.attemptCount}) is unpaid`;
    const active = await this.numbers.idsOf(billing.accountId, ['active'], {}, tx);
    const moved: string[] = [];
    for (const id of active) {
      const result = await this.lifecycle.apply(id, 'payment_failed', { cause, actor: 'stripe', patch: { suspensionReason: reason } }, tx);
      if (result.applied) moved.push(id);
    }
    this.logger.warn({ accountId: billing.accountId, invoiceId: invoice.id, suspended: moved, cause }, 'payment failed: numbers suspended');
    return { moved, detail: `${reason}: ${moved.length} number(s) suspended` };
  }

  /** `invoice.paid`: the suspended numbers are active again once the subscription is no longer delinquent. */
  async paid(tx: Tx, billing: BillingAccount, invoice: InvoiceSnapshot, subscription: SubscriptionSnapshot | null, cause: string): Promise<StandingChange> {
    const suspended = await this.numbers.idsOf(billing.accountId, ['suspended'], {}, tx);
    if (suspended.length === 0) return { moved: [], detail: `invoice ${invoice.id} paid` };
    const status = await this.recordStatus(tx, billing, subscription);
    if (DELINQUENT_SUBSCRIPTION.includes(status)) {
      return { moved: [], detail: `invoice ${invoice.id} paid, but subscription ${billing.stripeSubscriptionId} is still ${status}: numbers stay suspended` };
    }
    const moved: string[] = [];
    for (const id of suspended) {
      const result = await this.lifecycle.apply(id, 'payment_recovered', { cause, actor: 'stripe', patch: { suspensionReason: null } }, tx);
      if (result.applied) moved.push(id);
    }
    this.logger.log({ accountId: billing.accountId, invoiceId: invoice.id, recovered: moved, cause }, 'payment recovered: numbers active again');
    return { moved, detail: `invoice ${invoice.id} paid: ${moved.length} number(s) active again` };
  }

  /** `subscription`: the account's, as Stripe answered; null when the account has none. */
  private async recordStatus(tx: Tx, billing: BillingAccount, subscription: SubscriptionSnapshot | null): Promise<string> {
    if (!subscription) return 'none';
    if (subscription.status !== billing.subscriptionStatus) {
      await this.billingAccounts.setSubscriptionStatus(billing.accountId, subscription.status, tx);
    }
    return subscription.status;
  }
}
