import type { StoredWebhookEvent } from '@numbers/messaging';
import type { BillingAccount, BillingAccountRepository, Tx } from '@numbers/persistence';

/** The account an invoice event is about (by its Stripe customer), under the account's billing lock. */
export async function invoiceAccount(
  billingAccounts: BillingAccountRepository,
  tx: Tx,
  event: StoredWebhookEvent<'stripe'>,
): Promise<{ billing: BillingAccount; invoiceId: string } | { ignored: string }> {
  const invoice = event.payload.data.object;
  const invoiceId = typeof invoice['id'] === 'string' ? invoice['id'] : null;
  const customerId = typeof invoice['customer'] === 'string' ? invoice['customer'] : null;
  if (!invoiceId || !customerId) return { ignored: 'the event carries no invoice or customer id' };
  const found = await billingAccounts.byCustomer(customerId, tx);
  if (!found) return { ignored: `customer ${customerId} is not one of our accounts` };
  await billingAccounts.lock(found.accountId, tx);
  // Read again under the lock: a concurrent change (Checkout's subscription) committed before it.
  const billing = await billingAccounts.byAccount(found.accountId, tx);
  if (!billing) throw new Error(`billing account ${found.accountId} is gone`);
  return { billing, invoiceId };
}
