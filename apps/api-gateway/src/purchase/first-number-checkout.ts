import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { DomainError } from '@numbers/domain';
import { PhoneNumberRecords, PurchaseRepository } from '@numbers/persistence';
import { NUMBER_PRICE_CURRENCY, ProviderError, STRIPE_GATEWAY, expireCheckoutKey, type StripeGateway } from '@numbers/providers';

export interface FirstNumberCheckoutInput {
  accountId: string;
  accountName: string;
  numberId: string;
  /**
   * The number's creation, where the trial is counted from: fixed, so a retry of the purchase
   * sends Stripe the same request under the same idempotency key (`checkout-<numberId>`).
   */
  createdAt: Date;
  /** The number's monthly price, as the purchase wrote it (`monthly_cents`). */
  monthlyCents: number;
  /** The account's Stripe customer when it has one already. */
  stripeCustomerId: string | null;
  requestId: string;
}

const DAY_SECONDS = 24 * 60 * 60;
/**
 * The subscription starts in a trial that lasts until the number is active (the billing worker
 * ends it then: docs/billing.md). Stripe allows at most 730 days; 700 leaves room for clocks.
 */
export const CHECKOUT_TRIAL_DAYS = 700;

/**
 * What the trial means, on the Checkout page beside the Pay button (`custom_text.submit`):
 * Stripe shows only "free trial until" a date two years away, which is not when billing starts.
 */
export const CHECKOUT_BILLING_TEXT =
  'You pay from the day your number is active: the trial shown here ends on that day, and the monthly price is charged from then. ' +
  'Nothing is charged before, and nothing at all if the number never becomes active.';

/**
 * The Stripe side of a first purchase, run after the purchase's transaction committed (no
 * account lock is held during provider calls): the account's Stripe customer (created once,
 * idempotency key `customer-<accountId>`), the Stripe price of the number's monthly price (by
 * lookup key), then a subscription-mode Checkout Session for one slot at that price with a far
 * trial (key `checkout-<numberId>`), whose id is stored on the number. Run again by a retry of
 * a purchase whose session was never recorded (see `undo`): the same key and request find the
 * session Stripe may have made, or create it.
 *
 * When Stripe fails, the purchase is undone in one transaction: the number goes
 * `pending_payment -> released` through the lifecycle (`checkout_expired`, failure reason
 * "checkout could not be created") and its purchase intent is forgotten, so a retry with the same
 * `purchaseIntentId` buys anew (and, never offered for payment, the undone number does not count
 * for velocity). The customer, if created, is kept: it is the account's, not the number's.
 */
@Injectable()
export class FirstNumberCheckout {
  private readonly logger = new Logger('FirstNumberCheckout');

  constructor(
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
    private readonly purchases: PurchaseRepository,
    private readonly numbers: PhoneNumberRecords,
    private readonly config: AppConfig,
  ) {}

  /** The hosted checkout page's URL. */
  async start(input: FirstNumberCheckoutInput): Promise<string> {
    let session: { id: string; url: string };
    try {
      const customerId = input.stripeCustomerId ?? (await this.customerFor(input));
      const price = await this.priceOf(input.monthlyCents);
      const created = await this.stripe.createCheckoutSession(
        {
          customerId,
          accountId: input.accountId,
          numberId: input.numberId,
          priceId: price.priceId,
          quantity: 1,
          successUrl: this.publicUrl('/checkout/success?session_id={CHECKOUT_SESSION_ID}'),
          cancelUrl: this.publicUrl('/checkout/cancel?session_id={CHECKOUT_SESSION_ID}'),
          trialEnd: Math.floor(input.createdAt.getTime() / 1000) + CHECKOUT_TRIAL_DAYS * DAY_SECONDS,
          metadata: { accountId: input.accountId, numberId: input.numberId },
          customText: { submit: CHECKOUT_BILLING_TEXT },
        },
        `checkout-${input.numberId}`,
      );
      if (!created.url) {
        throw new ProviderError({ provider: 'stripe', operation: 'checkout.sessions.create', status: 200, code: 'session_not_open', retryable: true });
      }
      session = { id: created.id, url: created.url };
    } catch (error) {
      this.logger.error(
        { reqId: input.requestId, accountId: input.accountId, numberId: input.numberId, err: error },
        'Checkout Session could not be created: undoing the purchase',
      );
      await this.undo(input);
      if (error instanceof ProviderError) {
        throw new DomainError('PAYMENTS_UNAVAILABLE', 'Payments are unavailable right now: nothing was bought, retry later');
      }
      throw error;
    }
    if (!(await this.numbers.recordCheckoutSession(input.numberId, session.id))) {
      // The request stalled long enough for the pending-checkout sweep to undo the purchase:
      // the session must not stay payable for a number that is gone.
      this.logger.warn({ reqId: input.requestId, numberId: input.numberId, sessionId: session.id }, 'purchase undone before its session was recorded');
      await this.stripe.expireCheckoutSession(session.id, expireCheckoutKey(input.numberId)).catch((error: Error) =>
        this.logger.error({ reqId: input.requestId, sessionId: session.id, err: error }, 'could not expire the session of an undone purchase'),
      );
      throw new DomainError('PAYMENTS_UNAVAILABLE', 'The purchase took too long and was undone: nothing was bought, retry');
    }
    return session.url;
  }

  /**
   * The Stripe price of the number's own monthly price (`monthly_cents`, fixed at purchase),
   * found by lookup key `number-monthly-<cents>` or created once (key `number-price-<cents>`).
   */
  private priceOf(monthlyCents: number): Promise<{ priceId: string }> {
    return this.stripe.numberPrice(monthlyCents, NUMBER_PRICE_CURRENCY, `number-price-${monthlyCents}`);
  }

  private async customerFor(input: FirstNumberCheckoutInput): Promise<string> {
    const { customerId } = await this.stripe.createCustomer(
      { accountId: input.accountId, name: input.accountName },
      `customer-${input.accountId}`,
    );
    return this.purchases.saveStripeCustomer(input.accountId, customerId);
  }

  private async undo(input: FirstNumberCheckoutInput): Promise<void> {
    try {
      await this.purchases.undoWithoutCheckout(input.accountId, input.numberId);
    } catch (error) {
      // The caller still gets PAYMENTS_UNAVAILABLE; the number stays pending_payment without a
      // session: a retry with its intent id resumes it (NumberPurchase), else the billing
      // worker's checkout expiry ends it like any unpaid checkout.
      this.logger.error(
        { reqId: input.requestId, accountId: input.accountId, numberId: input.numberId, err: error },
        'Undoing a purchase without checkout failed',
      );
    }
  }

  private publicUrl(pathAndQuery: string): string {
    return `${this.config.gateway.publicBaseUrl.replace(/\/+$/, '')}${pathAndQuery}`;
  }
}
