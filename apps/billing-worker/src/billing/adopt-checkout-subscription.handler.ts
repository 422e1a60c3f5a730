import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { isEndedSubscription } from '@numbers/domain';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { BillingAccountRepository, SubscriptionItemRepository } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { adoptItems } from './subscription-items';

export type CheckoutSubscriptionAdoption =
  | { adopted: true; subscriptionId: string; status: string }
  | { adopted: false; subscriptionId: string; reason: string };

/**
 * A Checkout paid for an account's first number made a subscription, whose ids its settlement
 * recorded (`CheckoutSettlement.completed`, in the webhook's transaction, which calls no
 * provider): this job reads it from Stripe, outside any transaction, and then
 *
 * - when it is the account's subscription, records its status, first item and quantity in
 *   `billing_accounts` and its item (the first number's price) in `subscription_items`, in a short
 *   transaction under the account's billing lock that checks it is still the account's;
 * - when the account kept another live one (two first purchases paid side by side), cancels it at
 *   Stripe (key `cancel-duplicate-<subscription>`): the number takes its slot in the account's
 *   subscription through the quantity sync.
 *
 * A repeat records the same and cancels nothing twice.
 */
@JobHandler('adopt-checkout-subscription')
export class AdoptCheckoutSubscriptionHandler implements HandlesJob<'adopt-checkout-subscription'> {
  private readonly logger = new Logger(AdoptCheckoutSubscriptionHandler.name);

  constructor(
    private readonly billingAccounts: BillingAccountRepository,
    private readonly items: SubscriptionItemRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle({ accountId, subscriptionId }: JobPayloads['adopt-checkout-subscription'], ctx: JobContext): Promise<CheckoutSubscriptionAdoption> {
    const subscription = await this.stripe.getSubscription(subscriptionId);
    const item = subscription.items[0];
    if (!item) throw new GiveUpError(`subscription ${subscriptionId} has no items`);
    const customerId = subscription.customerId;
    const adopted = await this.billingAccounts.underLock(accountId, async (tx) => {
      const billing = await this.billingAccounts.byAccount(accountId, tx);
      if (billing?.stripeSubscriptionId !== subscriptionId) return false;
      await this.billingAccounts.storeSubscription(
        accountId,
        { customerId, subscriptionId, itemId: item.id, status: subscription.status, quantity: subscription.quantity },
        tx,
      );
      // One item per monthly price: Checkout's is the first number's price (docs/billing.md).
      await adoptItems(this.items, accountId, subscription, [], tx);
      return true;
    });
    if (adopted) return { adopted: true, subscriptionId, status: subscription.status };
    if (isEndedSubscription(subscription.status)) return { adopted: false, subscriptionId, reason: `not the account's subscription, and ${subscription.status}` };
    await this.stripe.cancelSubscription(subscriptionId, `cancel-duplicate-${subscriptionId}`);
    this.logger.warn({ accountId, subscriptionId, jobId: ctx.jobId }, 'second subscription of an account cancelled');
    return { adopted: false, subscriptionId, reason: "not the account's subscription: cancelled" };
  }
}
