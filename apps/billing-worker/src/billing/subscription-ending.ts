import { Injectable, Logger } from '@nestjs/common';
import type { NumberStatus } from '@numbers/contracts';
import { AccountNumberRecords, BillingAccountRepository, NumberLifecycle, type BillingAccount, type TransitionContext, type Tx } from '@numbers/persistence';

/** The states a number is no longer live in: nothing to end. */
const ENDING_OR_ENDED: NumberStatus[] = ['releasing', 'released'];

export interface SubscriptionEnded {
  /** Numbers moved to `releasing`. */
  released: string[];
}

/**
 * The account's subscription ended at Stripe (`customer.subscription.deleted`, or the reconciler
 * finding it canceled): the subscription is recorded as ended (`subscription_status`), so no
 * quantity sync calls Stripe on it again, and every live number of the account goes `releasing`
 * through the lifecycle (`subscription_ended`), whose follow-ups release it at Meta and the
 * carrier and expire an open Checkout. Safe to run twice: a second run finds no live number.
 */
@Injectable()
export class SubscriptionEnding {
  private readonly logger = new Logger(SubscriptionEnding.name);

  constructor(
    private readonly lifecycle: NumberLifecycle,
    private readonly billingAccounts: BillingAccountRepository,
    private readonly numbers: AccountNumberRecords,
  ) {}

  async end(tx: Tx, billing: BillingAccount, status: string, context: Pick<TransitionContext, 'cause' | 'actor'>): Promise<SubscriptionEnded> {
    await this.billingAccounts.lock(billing.accountId, tx);
    if (billing.subscriptionStatus !== status) {
      await this.billingAccounts.setSubscriptionStatus(billing.accountId, status, tx);
    }
    const live = await this.numbers.idsOf(billing.accountId, ENDING_OR_ENDED, { not: true }, tx);
    const released: string[] = [];
    for (const id of live) {
      const result = await this.lifecycle.apply(id, 'subscription_ended', context, tx);
      if (result.applied) released.push(id);
    }
    this.logger.log({ accountId: billing.accountId, subscriptionId: billing.stripeSubscriptionId, status, released, cause: context.cause }, 'subscription ended');
    return { released };
  }
}
