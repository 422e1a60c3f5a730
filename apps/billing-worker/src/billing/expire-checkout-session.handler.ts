import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { PhoneNumberRecords } from '@numbers/persistence';
import { STRIPE_GATEWAY, expireCheckoutKey, type StripeGateway } from '@numbers/providers';

export type CheckoutExpiry =
  | { expired: true; sessionId: string }
  | { expired: false; reason: string; sessionId?: string };

/**
 * A number left `pending_payment` unpaid (released before it was paid for: `followUpsOf`): its
 * Checkout Session, if it has one, is expired at Stripe so it can no longer be paid (idempotency
 * key `expire-checkout-<numberId>`). A session already closed is fine: Stripe refuses to expire
 * it (400) and the gateway answers its state; `complete` means it was paid in the meantime, which
 * is logged (the `checkout.session.completed` that follows finds the number ended and changes
 * nothing). A number without a session has nothing to expire.
 */
@JobHandler('expire-checkout-session')
export class ExpireCheckoutSessionHandler implements HandlesJob<'expire-checkout-session'> {
  private readonly logger = new Logger(ExpireCheckoutSessionHandler.name);

  constructor(
    private readonly numbers: PhoneNumberRecords,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle({ numberId }: JobPayloads['expire-checkout-session'], ctx: JobContext): Promise<CheckoutExpiry> {
    const number = await this.numbers.byId(numberId);
    if (!number) throw new GiveUpError(`number ${numberId} does not exist`);
    const sessionId = number.stripeCheckoutSessionId;
    if (!sessionId) return { expired: false, reason: 'no checkout session' };
    if (number.status !== 'releasing' && number.status !== 'released') {
      return { expired: false, reason: `number is ${number.status}`, sessionId };
    }

    const session = await this.stripe.expireCheckoutSession(sessionId, expireCheckoutKey(numberId));
    if (session.status === 'complete') {
      this.logger.warn({ numberId, sessionId, jobId: ctx.jobId }, 'checkout session was paid after its number ended');
      return { expired: false, reason: 'session was completed', sessionId };
    }
    this.logger.log({ numberId, sessionId, status: session.status, jobId: ctx.jobId }, 'checkout session expired');
    return { expired: true, sessionId };
  }
}
