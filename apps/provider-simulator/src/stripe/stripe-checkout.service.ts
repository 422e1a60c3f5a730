import type { SimulatorLinks } from '../shared/simulator-links';
import type { PaymentOutcomeStore } from '../state/payment-outcome.store';
import type { CheckoutSessionRecord, NewCheckoutSession, StripeCheckoutStore } from '../state/stripe-checkout.store';
import type { StripeStore } from '../state/stripe.store';
import { DAY_SECONDS } from './billing/billing-periods';
import type { StripeBilling } from './billing/stripe-billing.service';
import { toCheckoutSessionObject } from './stripe-checkout.mapper';
import { AUTOMATIC_EVENT, type StripeEventCause, type StripeEvents } from './stripe-events';

export type PayOutcome =
  | { kind: 'paid'; session: CheckoutSessionRecord }
  | { kind: 'declined'; session: CheckoutSessionRecord; declineCode: string }
  | { kind: 'not_open'; session: CheckoutSessionRecord };

/**
 * Checkout Sessions in subscription mode: paying one (hosted page or control API) charges the
 * card, creates the customer if needed, the subscription (with its trial) and its first
 * invoice, completes the session and raises the events Stripe sends, in one batch:
 * `customer.subscription.created`, `invoice.paid`, `invoice.payment_succeeded`,
 * `checkout.session.completed`. Expiry raises `checkout.session.expired`.
 */
export class StripeCheckout {
  constructor(
    private readonly store: StripeStore,
    private readonly sessions: StripeCheckoutStore,
    private readonly billing: StripeBilling,
    private readonly payments: PaymentOutcomeStore,
    private readonly events: StripeEvents,
    private readonly links: SimulatorLinks,
  ) {}

  create(input: Omit<NewCheckoutSession, 'created' | 'currency' | 'amountTotal'>): CheckoutSessionRecord {
    const prices = input.lineItems.map((item) => this.store.price(item.priceId));
    const trial = input.subscriptionData.trialEnd !== null || input.subscriptionData.trialPeriodDays !== null;
    const amount = input.lineItems.reduce((sum, item, i) => sum + prices[i].unitAmount * item.quantity, 0);
    return this.sessions.create({ ...input, created: this.store.clock.now(), currency: prices[0]?.currency ?? 'usd', amountTotal: trial ? 0 : amount });
  }

  /** The session, expired first when its time is up (Stripe expires them shortly after `expires_at`). */
  find(id: string): CheckoutSessionRecord | undefined {
    const session = this.sessions.get(id);
    if (session && session.status === 'open' && session.expiresAt <= this.store.clock.now()) this.expire(session, AUTOMATIC_EVENT);
    return session;
  }

  toObject(session: CheckoutSessionRecord): Record<string, unknown> {
    return toCheckoutSessionObject(session, this.store, this.links.checkoutPage(session.id));
  }

  pay(session: CheckoutSessionRecord, cause: StripeEventCause = AUTOMATIC_EVENT): PayOutcome {
    if (session.status !== 'open') return { kind: 'not_open', session };
    if (session.amountTotal > 0) {
      const declineCode = this.payments.takeCharge({ customerId: session.customerId, subscriptionId: null });
      if (declineCode !== null) {
        session.lastPaymentError = 'Your card was declined.';
        return { kind: 'declined', session, declineCode };
      }
    }
    const now = this.store.clock.now();
    const customerId =
      session.customerId ?? this.store.createCustomer({ name: null, email: session.customerEmail, description: null, metadata: {} }).id;
    const { trialEnd, trialPeriodDays, metadata } = session.subscriptionData;
    const batch = this.events.batch(cause);
    const { subscription, invoice } = this.billing.createSubscription(
      {
        customerId,
        items: session.lineItems.map((item) => ({ priceId: item.priceId, quantity: item.quantity })),
        metadata: { ...metadata },
        trialEnd: trialEnd ?? (trialPeriodDays !== null ? now + trialPeriodDays * DAY_SECONDS : null),
        prepaid: true,
      },
      batch,
    );
    Object.assign(session, {
      status: 'complete',
      paymentStatus: session.amountTotal > 0 ? 'paid' : 'no_payment_required',
      customerId,
      subscriptionId: subscription.id,
      invoiceId: invoice.id,
      lastPaymentError: null,
    } satisfies Partial<CheckoutSessionRecord>);
    batch.add('checkout.session.completed', this.toObject(session));
    batch.dispatch();
    return { kind: 'paid', session };
  }

  /** False when the session is not open (complete or already expired). */
  expire(session: CheckoutSessionRecord, cause: StripeEventCause): boolean {
    if (session.status !== 'open') return false;
    session.status = 'expired';
    const batch = this.events.batch(cause);
    batch.add('checkout.session.expired', this.toObject(session));
    batch.dispatch();
    return true;
  }

  /** Expires every open session whose `expires_at` has passed (the clock moved on). */
  expireDue(): number {
    const now = this.store.clock.now();
    const due = this.sessions.list().filter((session) => session.status === 'open' && session.expiresAt <= now);
    for (const session of due) this.expire(session, AUTOMATIC_EVENT);
    return due.length;
  }

  /** Where the customer goes after paying: `{CHECKOUT_SESSION_ID}` filled in, as Stripe does. */
  successRedirect(session: CheckoutSessionRecord): string | null {
    return session.successUrl ? session.successUrl.replaceAll('{CHECKOUT_SESSION_ID}', session.id) : null;
  }
}
