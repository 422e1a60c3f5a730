import { Inject, Logger } from '@nestjs/common';
import { jobRequest, type JobPayloads } from '@numbers/contracts';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { BillingAccountRepository, OutboxRepository } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { InvoiceLedger } from './invoice-ledger';
import { PaymentStanding } from './payment-standing';

export interface InvoiceSettlement {
  /** `ignored`: a payment failure that moved nothing and recorded nothing (late, repeated, fixed already). */
  outcome: 'applied' | 'ignored';
  detail: string;
}

/**
 * An invoice of the account was paid, or its payment failed (`invoice.paid`,
 * `invoice.payment_failed`, queued by `InvoiceEventHandler`). The invoice (all its lines) and the
 * account's subscription are read from Stripe with no transaction open; then, in one short
 * transaction under the account's billing lock:
 * - the ledger records the invoice's lines (the first time it is seen) and its payment
 *   (`InvoiceLedger`);
 * - paid: slots it charged for numbers that were not active yet are credited back by a
 *   `credit-slot-charges` job (outbox), and suspended numbers are `active` again once the
 *   subscription is no longer delinquent (`PaymentStanding`);
 * - payment failed: the account's active numbers are `suspended` if the invoice is still unpaid
 *   and the subscription delinquent.
 * A repeat records nothing new, queues a job that finds nothing left to credit, and moves nothing.
 * An account whose subscription changed between the reads and the lock is retried.
 */
@JobHandler('settle-invoice')
export class SettleInvoiceHandler implements HandlesJob<'settle-invoice'> {
  private readonly logger = new Logger(SettleInvoiceHandler.name);

  constructor(
    private readonly billingAccounts: BillingAccountRepository,
    private readonly invoices: InvoiceLedger,
    private readonly standing: PaymentStanding,
    private readonly outbox: OutboxRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle({ accountId, invoiceId, event, cause }: JobPayloads['settle-invoice'], ctx: JobContext): Promise<InvoiceSettlement> {
    const known = await this.billingAccounts.byAccount(accountId);
    if (!known) throw new GiveUpError(`billing account ${accountId} does not exist`);
    const subscriptionId = known.stripeSubscriptionId;
    const invoice = await this.stripe.getInvoice(invoiceId);
    const subscription = subscriptionId ? await this.stripe.getSubscription(subscriptionId) : null;

    const settled = await this.billingAccounts.underLock(accountId, async (tx): Promise<InvoiceSettlement> => {
      const billing = await this.billingAccounts.byAccount(accountId, tx);
      if (!billing) throw new Error(`billing account ${accountId} is gone`);
      if (billing.stripeSubscriptionId !== subscriptionId) throw new Error(`the subscription of account ${accountId} changed while Stripe was read: retried`);
      const { recorded, uncreditedSlots } = await this.invoices.record(tx, billing, invoice);
      if (event === 'invoice.payment_failed') {
        const change = await this.standing.paymentFailed(tx, billing, invoice, subscription, cause);
        return { outcome: change.moved.length > 0 || recorded > 0 ? 'applied' : 'ignored', detail: `${change.detail}; ${recorded} ledger row(s)` };
      }
      if (uncreditedSlots > 0 && invoice.status === 'paid') {
        await this.outbox.add(tx, [jobRequest('credit-slot-charges', { accountId, invoiceId: invoice.id })]);
      }
      const standing = await this.standing.paid(tx, billing, invoice, subscription, cause);
      const credits = uncreditedSlots > 0 ? `, ${uncreditedSlots} slot charge(s) to credit` : '';
      return { outcome: 'applied', detail: `${standing.detail}; ${recorded} ledger row(s)${credits}` };
    });
    this.logger.log({ accountId, invoiceId, event, outcome: settled.outcome, jobId: ctx.jobId }, settled.detail);
    return settled;
  }
}
