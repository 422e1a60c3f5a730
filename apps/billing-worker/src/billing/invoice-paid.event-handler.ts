import { Inject } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { BillingAccountRepository, OutboxRepository } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { invoiceAccount } from './invoice-events';
import { InvoiceLedger } from './invoice-ledger';
import { PaymentStanding } from './payment-standing';

/**
 * Stripe `invoice.paid`: an invoice of one of our customers is paid. In the event's transaction,
 * under the account's billing lock, with the invoice read back from Stripe (all its lines):
 * - the ledger records its lines (the first time the invoice is seen) and the payment
 *   (`InvoiceLedger`);
 * - slots it charged for numbers that were not active yet are credited back by a
 *   `credit-slot-charges` job (outbox: the Stripe calls happen there);
 * - suspended numbers are `active` again once the subscription is no longer delinquent
 *   (`PaymentStanding`).
 * A repeat records nothing new, enqueues a job that finds nothing left to credit, and moves nothing.
 */
@WebhookEventHandler('stripe', 'invoice.paid')
export class InvoicePaidEventHandler implements HandlesWebhookEvent<'stripe'> {
  constructor(
    private readonly billingAccounts: BillingAccountRepository,
    private readonly invoices: InvoiceLedger,
    private readonly standing: PaymentStanding,
    private readonly outbox: OutboxRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle(event: StoredWebhookEvent<'stripe'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const found = await invoiceAccount(this.billingAccounts, tx, event);
    if ('ignored' in found) return { outcome: 'ignored', detail: found.ignored };
    const { billing } = found;
    const invoice = await this.stripe.getInvoice(found.invoiceId);
    const { recorded, uncreditedSlots } = await this.invoices.record(tx, billing, invoice);
    if (uncreditedSlots > 0 && invoice.status === 'paid') {
      await this.outbox.add(tx, [jobRequest('credit-slot-charges', { accountId: billing.accountId, invoiceId: invoice.id })]);
    }
    const standing = await this.standing.paid(tx, billing, invoice, cause);
    const credits = uncreditedSlots > 0 ? `, ${uncreditedSlots} slot charge(s) to credit` : '';
    return { outcome: 'applied', detail: `${standing.detail}; ${recorded} ledger row(s)${credits}` };
  }
}
