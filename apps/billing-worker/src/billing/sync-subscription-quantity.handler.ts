import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { isBillable } from '@numbers/domain';
import { JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { PrismaService, type Tx } from '@numbers/persistence';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';

/** The first key of the two-key advisory locks this handler takes (one lock per account). */
const SUBSCRIPTION_SYNC_LOCK = 0x5155_0001;

/** Subscription statuses that take no more quantity changes. */
const ENDED_SUBSCRIPTION = ['canceled', 'incomplete_expired'];

export type SyncOutcome = { synced: true; quantity: number } | { synced: false; reason: string };

/**
 * Makes the account's Stripe subscription quantity equal its count of billable numbers (the
 * rule is `isBillable` in @numbers/domain). Syncs of one account never interleave: a
 * transaction-scoped advisory lock on the account spans the count, the Stripe call and the
 * write of the new quantity, so the last sync to run sets today's count. The Stripe call's
 * idempotency key names the job and the target quantity: a retry of the same job with the same
 * count is one change at Stripe.
 */
@JobHandler('sync-subscription-quantity')
export class SyncSubscriptionQuantityHandler implements HandlesJob<'sync-subscription-quantity'> {
  private readonly logger = new Logger(SyncSubscriptionQuantityHandler.name);

  constructor(
    private readonly prisma: PrismaService,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle({ accountId, cause }: JobPayloads['sync-subscription-quantity'], ctx: JobContext): Promise<SyncOutcome> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SUBSCRIPTION_SYNC_LOCK}::int, hashtext(${accountId}))`;
        const quantity = await this.billableNumbers(tx, accountId);
        const billing = await tx.billingAccount.findUnique({ where: { accountId } });
        if (!billing?.stripeSubscriptionId || !billing.stripeSubscriptionItemId) {
          this.logger.log({ accountId, quantity, cause, jobId: ctx.jobId }, 'no subscription: nothing to sync');
          return { synced: false, reason: 'no_subscription' };
        }
        if (billing.subscriptionStatus && ENDED_SUBSCRIPTION.includes(billing.subscriptionStatus)) {
          this.logger.log({ accountId, quantity, cause, jobId: ctx.jobId }, `subscription ${billing.subscriptionStatus}: nothing to sync`);
          return { synced: false, reason: `subscription_${billing.subscriptionStatus}` };
        }
        await this.stripe.setSubscriptionQuantity(
          { subscriptionId: billing.stripeSubscriptionId, itemId: billing.stripeSubscriptionItemId, quantity },
          `${ctx.jobId}.q${quantity}`,
        );
        await tx.billingAccount.update({ where: { accountId }, data: { quantity, version: { increment: 1 } } });
        this.logger.log({ accountId, quantity, previous: billing.quantity, cause, jobId: ctx.jobId }, 'subscription quantity synced');
        return { synced: true, quantity };
      },
      // The Stripe call runs inside: allow for its timeout, and for another sync of the account.
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  private async billableNumbers(tx: Tx, accountId: string): Promise<number> {
    const groups = await tx.phoneNumber.groupBy({
      by: ['status', 'paidFirst'],
      where: { accountId },
      _count: { _all: true },
    });
    return groups.filter((g) => isBillable(g.status, g.paidFirst)).reduce((sum, g) => sum + g._count._all, 0);
  }
}
