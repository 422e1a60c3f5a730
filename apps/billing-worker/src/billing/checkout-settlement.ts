import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { ENDED_SUBSCRIPTION } from '@numbers/domain';
import { GiveUpError } from '@numbers/messaging';
import { BillingAccountRepository, NumberLifecycle, OutboxRepository, PhoneNumberRecords, type TransitionContext, type Tx } from '@numbers/persistence';
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
 * transaction (or one of its own), with no Stripe call: a transaction holds database work only.
 *
 * Completed: the first number was paid for at Checkout, which created the account's subscription
 * (in its trial). The customer and subscription ids the session carries are stored in
 * `billing_accounts`, an `adopt-checkout-subscription` job is queued (outbox) to read the
 * subscription's status and item (the first number's price) from Stripe, and `payment_confirmed`
 * moves the number to `provisioning`. A repeated or late settlement stores the same ids and is
 * recorded by the lifecycle as not applied. An account that already has a live subscription (two
 * first purchases paid side by side) keeps it: the job cancels the new one (idempotency key per
 * subscription) and the number takes its slot in the account's subscription through the
 * quantity sync.
 *
 * Expired: the first number was never paid. `checkout_expired` ends it (`pending_payment` →
 * `released`); nothing was ordered or charged. A number that was paid after all, or a repeat, is
 * recorded by the lifecycle as not applied.
 */
@Injectable()
export class CheckoutSettlement {
  constructor(
    private readonly lifecycle: NumberLifecycle,
    private readonly numbers: PhoneNumberRecords,
    private readonly billingAccounts: BillingAccountRepository,
    private readonly outbox: OutboxRepository,
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
        await this.billingAccounts.recordCheckoutSubscription(accountId, customerId, subscriptionId, ENDED_SUBSCRIPTION, locked);
        await this.outbox.add(locked, [jobRequest('adopt-checkout-subscription', { accountId, subscriptionId })]);
        const result = await this.lifecycle.apply(numberId, 'payment_confirmed', context, locked);
        return result.applied
          ? { applied: true, detail: `number ${numberId} paid: provisioning (subscription ${subscriptionId})` }
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
}
