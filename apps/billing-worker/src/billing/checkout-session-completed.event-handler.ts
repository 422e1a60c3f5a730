import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { checkoutSessionFacts } from './checkout-session';
import { CheckoutSettlement } from './checkout-settlement';

/**
 * Stripe `checkout.session.completed`: the first number was paid for at Checkout. Settled by
 * `CheckoutSettlement.completed` (the subscription stored, `payment_confirmed` → provisioning) in
 * the event's transaction; a repeated or late event is recorded by the lifecycle as not applied.
 */
@WebhookEventHandler('stripe', 'checkout.session.completed')
export class CheckoutSessionCompletedEventHandler implements HandlesWebhookEvent<'stripe'> {
  constructor(private readonly settlement: CheckoutSettlement) {}

  async handle(event: StoredWebhookEvent<'stripe'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const settled = await this.settlement.completed(checkoutSessionFacts(event.payload.data.object), { cause, actor: 'stripe' }, tx);
    return { outcome: settled.applied ? 'applied' : 'ignored', detail: settled.detail };
  }
}
