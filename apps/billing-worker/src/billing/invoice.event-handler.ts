import { jobRequest } from '@numbers/contracts';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { BillingAccountRepository, OutboxRepository } from '@numbers/persistence';

/**
 * Stripe `invoice.paid` and `invoice.payment_failed` for one of our customers: in the event's
 * transaction, which calls no provider, the `settle-invoice` job is queued (outbox). It reads the
 * invoice and the subscription from Stripe outside any transaction, then records the invoice in
 * the ledger and suspends or restores the account's numbers (`SettleInvoiceHandler`).
 */
@WebhookEventHandler('stripe', ['invoice.paid', 'invoice.payment_failed'])
export class InvoiceEventHandler implements HandlesWebhookEvent<'stripe'> {
  constructor(
    private readonly billingAccounts: BillingAccountRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async handle(event: StoredWebhookEvent<'stripe'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const invoice = event.payload.data.object;
    const invoiceId = typeof invoice['id'] === 'string' ? invoice['id'] : null;
    const customerId = typeof invoice['customer'] === 'string' ? invoice['customer'] : null;
    if (!invoiceId || !customerId) return { outcome: 'ignored', detail: 'the event carries no invoice or customer id' };
    const billing = await this.billingAccounts.byCustomer(customerId, tx);
    if (!billing) return { outcome: 'ignored', detail: `customer ${customerId} is not one of our accounts` };
    const type = event.eventType === 'invoice.paid' ? 'invoice.paid' : 'invoice.payment_failed';
    await this.outbox.add(tx, [jobRequest('settle-invoice', { accountId: billing.accountId, invoiceId, event: type, cause })]);
    return { outcome: 'applied', detail: `settle-invoice queued for invoice ${invoiceId}` };
  }
}
