import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { BillingAccountRepository } from '@numbers/persistence';
import { SubscriptionEnding } from './subscription-ending';

/**
 * Stripe `customer.subscription.deleted`: the account's subscription ended (cancelled, or Stripe
 * gave up collecting). `SubscriptionEnding`: recorded as ended, every live number `releasing`.
 * A subscription that is not an account's current one (the duplicate a second Checkout made, or
 * one already replaced) is ignored; a repeat finds nothing left to release.
 */
@WebhookEventHandler('stripe', 'customer.subscription.deleted')
export class CustomerSubscriptionDeletedEventHandler implements HandlesWebhookEvent<'stripe'> {
  constructor(
    private readonly billingAccounts: BillingAccountRepository,
    private readonly ending: SubscriptionEnding,
  ) {}

  async handle(event: StoredWebhookEvent<'stripe'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const subscription = event.payload.data.object;
    const subscriptionId = typeof subscription['id'] === 'string' ? subscription['id'] : null;
    if (!subscriptionId) return { outcome: 'ignored', detail: 'the event carries no subscription id' };
    const billing = await this.billingAccounts.bySubscription(subscriptionId, tx);
    if (!billing) return { outcome: 'ignored', detail: `subscription ${subscriptionId} is not an account's subscription` };
    const status = typeof subscription['status'] === 'string' ? subscription['status'] : 'canceled';
    const { released } = await this.ending.end(tx, billing, status, { cause, actor: 'stripe' });
    return {
      outcome: 'applied',
      detail: `subscription ${subscriptionId} ${status}: ${released.length === 0 ? 'no live number left' : `releasing ${released.join(', ')}`}`,
    };
  }
}
