import type { StoredWebhookEvent } from '@numbers/messaging';
import type { PrismaTx } from '@numbers/persistence';
import type { BillingAccount } from '@prisma/client';
import { lockAccountBilling } from './account-billing';

/** The account an invoice event is about (by its Stripe customer), under the account's billing lock. */
export async function invoiceAccount(tx: PrismaTx, event: StoredWebhookEvent<'stripe'>): Promise<{ billing: BillingAccount; invoiceId: string } | { ignored: string }> {
  const invoice = event.payload.data.object;
  const invoiceId = typeof invoice['id'] === 'string' ? invoice['id'] : null;
  const customerId = typeof invoice['customer'] === 'string' ? invoice['customer'] : null;
  if (!invoiceId || !customerId) return { ignored: 'the event carries no invoice or customer id' };
  const found = await tx.billingAccount.findUnique({ where: { stripeCustomerId: customerId } });
  if (!found) return { ignored: `customer ${customerId} is not one of our accounts` };
  await lockAccountBilling(tx, found.accountId);
  // Read again under the lock: a concurrent change (Checkout's subscription) committed before it.
  const billing = await tx.billingAccount.findUniqueOrThrow({ where: { accountId: found.accountId } });
  return { billing, invoiceId };
}
