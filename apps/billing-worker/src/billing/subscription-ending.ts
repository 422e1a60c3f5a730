import { Injectable, Logger } from '@nestjs/common';
import type { NumberStatus } from '@numbers/contracts';
import { NumberLifecycle, type TransitionContext, type PrismaTx } from '@numbers/persistence';
import type { BillingAccount } from '@prisma/client';
import { lockAccountBilling } from './account-billing';

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

  constructor(private readonly lifecycle: NumberLifecycle) {}

  async end(tx: PrismaTx, billing: BillingAccount, status: string, context: Pick<TransitionContext, 'cause' | 'actor'>): Promise<SubscriptionEnded> {
    await lockAccountBilling(tx, billing.accountId);
    if (billing.subscriptionStatus !== status) {
      await tx.billingAccount.update({ where: { accountId: billing.accountId }, data: { subscriptionStatus: status, version: { increment: 1 } } });
    }
    const live = await tx.phoneNumber.findMany({
      where: { accountId: billing.accountId, status: { notIn: ENDING_OR_ENDED } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    const released: string[] = [];
    for (const { id } of live) {
      const result = await this.lifecycle.apply(id, 'subscription_ended', context, tx);
      if (result.applied) released.push(id);
    }
    this.logger.log({ accountId: billing.accountId, subscriptionId: billing.stripeSubscriptionId, status, released, cause: context.cause }, 'subscription ended');
    return { released };
  }
}
