import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { NumberLifecycle } from '@numbers/persistence';
import { checkoutSessionFacts } from './checkout-session';

/** Stored on a number whose Checkout expired unpaid. */
export const CHECKOUT_EXPIRED_REASON = 'checkout expired unpaid';

/**
 * Stripe `checkout.session.expired`: the first number was never paid. `checkout_expired` ends it
 * (`pending_payment` → `released`); nothing was ordered or charged. A number that was paid after
 * all, or a repeated event, is recorded by the lifecycle as not applied.
 */
@WebhookEventHandler('stripe', 'checkout.session.expired')
export class CheckoutSessionExpiredEventHandler implements HandlesWebhookEvent<'stripe'> {
  constructor(private readonly lifecycle: NumberLifecycle) {}

  async handle(event: StoredWebhookEvent<'stripe'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const session = checkoutSessionFacts(event.payload.data.object);
    if (!session.numberId) return { outcome: 'ignored', detail: `session ${session.sessionId} is not a number purchase` };
    const number = await tx.phoneNumber.findUnique({ where: { id: session.numberId }, select: { id: true } });
    if (!number) return { outcome: 'ignored', detail: `number ${session.numberId} does not exist` };
    const result = await this.lifecycle.apply(number.id, 'checkout_expired', { cause, actor: 'stripe', patch: { failureReason: CHECKOUT_EXPIRED_REASON } }, tx);
    return result.applied
      ? { outcome: 'applied', detail: `number ${number.id} released: checkout expired` }
      : { outcome: 'ignored', detail: `number ${number.id} is ${result.number.status}` };
  }
}
