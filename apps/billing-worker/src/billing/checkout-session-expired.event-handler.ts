import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { checkoutSessionFacts } from './checkout-session';
import { CheckoutSettlement } from './checkout-settlement';

/**
 * Stripe `checkout.session.expired`: the first number was never paid. Settled by
 * `CheckoutSettlement.expired` (`checkout_expired` → released, the reason stored) in the event's
 * transaction; a number paid after all, or a repeated event, is recorded as not applied.
 */
@WebhookEventHandler('stripe', 'checkout.session.expired')
export class CheckoutSessionExpiredEventHandler implements HandlesWebhookEvent<'stripe'> {
  constructor(private readonly settlement: CheckoutSettlement) {}

  async handle(event: StoredWebhookEvent<'stripe'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const settled = await this.settlement.expired(checkoutSessionFacts(event.payload.data.object), { cause, actor: 'stripe' }, tx);
    return { outcome: settled.applied ? 'applied' : 'ignored', detail: settled.detail };
  }
}
