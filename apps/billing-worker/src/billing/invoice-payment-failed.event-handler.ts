import { Inject } from '@nestjs/common';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { BillingAccountRepository } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { invoiceAccount } from './invoice-events';
import { InvoiceLedger } from './invoice-ledger';
import { PaymentStanding } from './payment-standing';

/**
 * Stripe `invoice.payment_failed`: charging an invoice of one of our customers failed. Under the
 * account's billing lock, with the invoice read back from Stripe: its lines go into the ledger
 * (the first time it is seen: what is owed), and if it is still unpaid and the subscription is
 * delinquent, the account's active numbers are `suspended` with the reason (`PaymentStanding`).
 * Late or out of order (the invoice is paid by now), or repeated: nothing is suspended.
 */
@WebhookEventHandler('stripe', 'invoice.payment_failed')
export class InvoicePaymentFailedEventHandler implements HandlesWebhookEvent<'stripe'> {
  constructor(
    private readonly billingAccounts: BillingAccountRepository,
    private readonly invoices: InvoiceLedger,
    private readonly standing: PaymentStanding,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle(event: StoredWebhookEvent<'stripe'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const found = await invoiceAccount(this.billingAccounts, tx, event);
    if ('ignored' in found) return { outcome: 'ignored', detail: found.ignored };
    const invoice = await this.stripe.getInvoice(found.invoiceId);
    const { recorded } = await this.invoices.record(tx, found.billing, invoice);
    const change = await this.standing.paymentFailed(tx, found.billing, invoice, cause);
    return { outcome: change.moved.length > 0 || recorded > 0 ? 'applied' : 'ignored', detail: `${change.detail}; ${recorded} ledger row(s)` };
  }
}
