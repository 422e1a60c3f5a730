import { isEndedSubscription } from '@numbers/domain';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { GiveUpError } from '@numbers/messaging';
import {
  BillingAccountRepository,
  NumberLifecycle,
  PhoneNumberRecords,
  SubscriptionItemRepository,
  type TransitionContext,
  type Tx,
} from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway, type SubscriptionSnapshot } from '@numbers/providers';
import { adoptItems } from './subscription-items';
import type { CheckoutSessionFacts } from './checkout-session';

/** Stored on a number whose Checkout expired unpaid. */
export const CHECKOUT_EXPIRED_REASON = 'checkout expired unpaid';

/** What settling a session did: `applied` when the number moved. */
export interface CheckoutOutcome {
  applied: boolean;
  detail: string;
}

export type CheckoutContext = Pick<TransitionContext, 'cause' | 'actor'>;

/**
 * What a finished Stripe Checkout Session means for its number, whoever learns it: the
 * `checkout.session.completed` / `.expired` webhook handlers, or the `reconcile-pending-checkouts`
 * sweep that asked Stripe because the webhook did not come. One implementation, in the caller's
 * transaction.
 *
 * Completed: the first number was paid for at Checkout, which created the account's subscription
 * (in its trial). The customer, subscription and status are stored in `billing_accounts`, its item
 * (the first number's price) in `subscription_items`
 * (read back from Stripe: today's truth), and `payment_confirmed` moves the number to
 * `provisioning`. A repeated or late settlement stores the same ids and is recorded by the
 * lifecycle as not applied. An account that already has a live subscription (two first
 * purchases paid side by side) keeps it: the new one is cancelled (idempotency key per
 * subscription) and the number takes its slot in the account's subscription through the
 * quantity sync.
 *
 * Expired: the first number was never paid. `checkout_expired` ends it (`pending_payment` →
 * `released`); nothing was ordered or charged. A number that was paid after all, or a repeat, is
 * recorded by the lifecycle as not applied.
 */
@Injectable()
export class CheckoutSettlement {
  private readonly logger = new Logger(CheckoutSettlement.name);

  constructor(
    private readonly lifecycle: NumberLifecycle,
    private readonly numbers: PhoneNumberRecords,
    private readonly billingAccounts: BillingAccountRepository,
    private readonly items: SubscriptionItemRepository,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async completed(session: CheckoutSessionFacts, context: CheckoutContext, tx?: Tx): Promise<CheckoutOutcome> {
    if (!session.numberId) return { applied: false, detail: `session ${session.sessionId} is not a number purchase` };
    if (session.mode !== null && session.mode !== 'subscription') return { applied: false, detail: `session mode ${session.mode}` };
    if (session.paymentStatus === 'unpaid') return { applied: false, detail: `session ${session.sessionId} is not paid yet` };
    const { numberId, subscriptionId, customerId } = session;
    return this.billingAccounts.underLockOfNumber(
      numberId,
      async (locked, accountId) => {
        if (!accountId) return { applied: false, detail: `number ${numberId} does not exist` };
        if (!subscriptionId || !customerId) throw new GiveUpError(`completed session ${session.sessionId} has no subscription or customer`);
        const subscription = await this.stripe.getSubscription(subscriptionId);
        const kept = await this.storeSubscription(locked, accountId, customerId, subscription);
        if (!kept) {
          await this.stripe.cancelSubscription(subscription.id, `cancel-duplicate-${subscription.id}`);
          this.logger.warn({ accountId, subscriptionId: subscription.id, numberId }, 'second subscription of an account cancelled');
        }
        const result = await this.lifecycle.apply(numberId, 'payment_confirmed', context, locked);
        return result.applied
          ? { applied: true, detail: `number ${numberId} paid: provisioning (subscription ${subscription.id})` }
          : { applied: false, detail: `number ${numberId} is ${result.number.status}` };
      },
      tx,
    );
  }

  async expired(session: CheckoutSessionFacts, context: CheckoutContext, tx?: Tx): Promise<CheckoutOutcome> {
    if (!session.numberId) return { applied: false, detail: `session ${session.sessionId} is not a number purchase` };
    const numberId = session.numberId;
    const number = await this.numbers.byId(numberId, tx);
    if (!number) return { applied: false, detail: `number ${numberId} does not exist` };
    const result = await this.lifecycle.apply(number, 'checkout_expired', { ...context, patch: { failureReason: CHECKOUT_EXPIRED_REASON } }, tx);
    return result.applied
      ? { applied: true, detail: `number ${numberId} released: checkout expired` }
      : { applied: false, detail: `number ${numberId} is ${result.number.status}` };
  }

  /** Stores the subscription as the account's; false when the account keeps another live one. */
  private async storeSubscription(tx: Tx, accountId: string, customerId: string, subscription: SubscriptionSnapshot): Promise<boolean> {
    const item = subscription.items[0];
    if (!item) throw new GiveUpError(`subscription ${subscription.id} has no items`);
    const existing = await this.billingAccounts.byAccount(accountId, tx);
    if (
      existing?.stripeSubscriptionId &&
      existing.stripeSubscriptionId !== subscription.id &&
      !isEndedSubscription(existing.subscriptionStatus)
    ) {
      return false;
    }
    await this.billingAccounts.storeSubscription(
      accountId,
      { customerId, subscriptionId: subscription.id, itemId: item.id, status: subscription.status, quantity: subscription.quantity },
      tx,
    );
    // One item per monthly price: Checkout's is the first number's price (docs/billing.md).
    await adoptItems(this.items, accountId, subscription, [], tx);
    return true;
  }
}
