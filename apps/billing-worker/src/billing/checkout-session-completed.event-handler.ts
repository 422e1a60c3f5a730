import { Inject, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { NumberLifecycle, type Tx } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway, type SubscriptionSnapshot } from '@numbers/providers';
import { UnrecoverableError } from 'bullmq';
import { lockAccountBilling } from './account-billing';
import { checkoutSessionFacts } from './checkout-session';

/** Subscription statuses an account may replace with a new one. */
const ENDED_SUBSCRIPTION = ['canceled', 'incomplete_expired'];

/**
 * Stripe `checkout.session.completed`: the first number was paid for at Checkout, which created
 * the account's subscription (in its trial). The customer, subscription, item and status are
 * stored in `billing_accounts` (read back from Stripe: today's truth), and `payment_confirmed`
 * moves the number to `provisioning`, in the event's transaction. A repeated or late event
 * stores the same ids and is recorded by the lifecycle as not applied.
 *
 * An account that already has a live subscription (two first purchases paid side by side)
 * keeps it: the new one is cancelled (idempotency key per subscription) and the number takes
 * its slot in the account's subscription through the quantity sync.
 */
@WebhookEventHandler('stripe', 'checkout.session.completed')
export class CheckoutSessionCompletedEventHandler implements HandlesWebhookEvent<'stripe'> {
  private readonly logger = new Logger(CheckoutSessionCompletedEventHandler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly lifecycle: NumberLifecycle,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle(event: StoredWebhookEvent<'stripe'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const session = checkoutSessionFacts(event.payload.data.object);
    if (!session.numberId) return { outcome: 'ignored', detail: `session ${session.sessionId} is not a number purchase` };
    if (session.mode !== null && session.mode !== 'subscription') return { outcome: 'ignored', detail: `session mode ${session.mode}` };
    if (session.paymentStatus === 'unpaid') return { outcome: 'ignored', detail: `session ${session.sessionId} is not paid yet` };
    const number = await tx.phoneNumber.findUnique({ where: { id: session.numberId } });
    if (!number) return { outcome: 'ignored', detail: `number ${session.numberId} does not exist` };
    if (!session.subscriptionId || !session.customerId) {
      throw new UnrecoverableError(`completed session ${session.sessionId} has no subscription or customer`);
    }

    await lockAccountBilling(tx, number.accountId);
    const subscription = await this.stripe.getSubscription(session.subscriptionId);
    const kept = await this.storeSubscription(tx, number.accountId, session.customerId, subscription);
    if (!kept) {
      await this.stripe.cancelSubscription(subscription.id, `cancel-duplicate-${subscription.id}`);
      this.logger.warn({ accountId: number.accountId, subscriptionId: subscription.id, numberId: number.id }, 'second subscription of an account cancelled');
    }
    const result = await this.lifecycle.apply(number.id, 'payment_confirmed', { cause, actor: 'stripe' }, tx);
    return result.applied
      ? { outcome: 'applied', detail: `number ${number.id} paid: provisioning (subscription ${subscription.id})` }
      : { outcome: 'ignored', detail: `number ${number.id} is ${result.number.status}` };
  }

  /** Stores the subscription as the account's; false when the account keeps another live one. */
  private async storeSubscription(tx: Tx, accountId: string, customerId: string, subscription: SubscriptionSnapshot): Promise<boolean> {
    const item = subscription.items.find((i) => i.priceId === this.config.stripe.priceId) ?? subscription.items[0];
    if (!item) throw new UnrecoverableError(`subscription ${subscription.id} has no items`);
    const existing = await tx.billingAccount.findUnique({ where: { accountId } });
    if (
      existing?.stripeSubscriptionId &&
      existing.stripeSubscriptionId !== subscription.id &&
      !ENDED_SUBSCRIPTION.includes(existing.subscriptionStatus ?? '')
    ) {
      return false;
    }
    const fields = {
      stripeSubscriptionId: subscription.id,
      stripeSubscriptionItemId: item.id,
      subscriptionStatus: subscription.status,
      quantity: item.quantity,
    };
    await tx.billingAccount.upsert({
      where: { accountId },
      create: { accountId, stripeCustomerId: customerId, ...fields },
      update: { ...fields, stripeCustomerId: existing?.stripeCustomerId ?? customerId, version: { increment: 1 } },
    });
    return true;
  }
}
