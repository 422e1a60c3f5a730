import { Inject, Logger } from '@nestjs/common';
import type { JobPayloads } from '@numbers/contracts';
import { newId } from '@numbers/domain';
import { JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { PrismaService, type Tx } from '@numbers/persistence';
import { Prisma } from '@prisma/client';
import { STRIPE_GATEWAY, type StripeGateway } from '@numbers/providers';
import { BILLING_STARTED, NEVER_BILLABLE, UNUSED_TIME_CREDITED, countBillableNumbers, lockAccountBilling } from './account-billing';

/** Subscription statuses that take no more quantity changes. */
const ENDED_SUBSCRIPTION = ['canceled', 'incomplete_expired'];

/** `synced: false`: no Stripe call was made (no subscription, an ended one, or the quantity already in step). */
export type SyncOutcome = { synced: true; quantity: number; credited?: number } | { synced: false; reason: string };

/**
 * Makes the account's Stripe subscription quantity equal its count of billable numbers (the
 * rule is `isBillable` in @numbers/domain), with the proration docs/billing.md asks for, read
 * from the database rather than from the job (syncs coalesce: one run may carry several
 * numbers' changes):
 * - slots added or removed for numbers whose billing never started: `proration_behavior: none`
 *   (nothing was charged for them, nothing is credited);
 * - numbers whose billing started (a `charge` ledger row, see StartBillingHandler) and that are
 *   no longer billable (released): their unused time is credited with `create_prorations`,
 *   once, marked by a `proration` ledger row.
 * With both at once, two calls: first the quantity with those numbers still in it (`none`),
 * then without them (`create_prorations`), so only they are prorated.
 *
 * Syncs of one account never interleave with each other or with the start of billing: the
 * account's billing lock spans the count, the Stripe calls and the writes, so the last sync to
 * run sets today's count. Each Stripe call's idempotency key names the job and the target
 * quantity: a retry of the same job with the same count changes Stripe once.
 *
 * `billing_accounts.quantity` is what was last set at Stripe (every writer stores it in the
 * transaction of its Stripe call), so when it already equals the count and no number leaves
 * billing, the run makes no Stripe call: a burst of purchases queues one sync per number on the
 * account's lock, and the first ones to run already count the later numbers.
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
        await lockAccountBilling(tx, accountId);
        const quantity = await countBillableNumbers(tx, accountId);
        const billing = await tx.billingAccount.findUnique({ where: { accountId } });
        if (!billing?.stripeSubscriptionId || !billing.stripeSubscriptionItemId) {
          this.logger.log({ accountId, quantity, cause, jobId: ctx.jobId }, 'no subscription: nothing to sync');
          return { synced: false, reason: 'no_subscription' };
        }
        if (billing.subscriptionStatus && ENDED_SUBSCRIPTION.includes(billing.subscriptionStatus)) {
          this.logger.log({ accountId, quantity, cause, jobId: ctx.jobId }, `subscription ${billing.subscriptionStatus}: nothing to sync`);
          return { synced: false, reason: `subscription_${billing.subscriptionStatus}` };
        }
        const target = { subscriptionId: billing.stripeSubscriptionId, itemId: billing.stripeSubscriptionItemId };
        const leaving = await this.leftAfterBillingStarted(tx, accountId, billing.stripeSubscriptionId);
        if (leaving.length === 0 && billing.quantity === quantity) {
          this.logger.log({ accountId, quantity, cause, jobId: ctx.jobId }, 'subscription quantity already in step: nothing to sync');
          return { synced: false, reason: 'already_in_step' };
        }
        if (leaving.length === 0) {
          await this.stripe.setSubscriptionQuantity({ ...target, quantity, prorationBehavior: 'none' }, `${ctx.jobId}.q${quantity}`);
        } else {
          const withLeaving = quantity + leaving.length;
          await this.stripe.setSubscriptionQuantity({ ...target, quantity: withLeaving, prorationBehavior: 'none' }, `${ctx.jobId}.slots.q${withLeaving}`);
          await this.stripe.setSubscriptionQuantity({ ...target, quantity, prorationBehavior: 'create_prorations' }, `${ctx.jobId}.credit.q${quantity}`);
          await tx.ledgerEntry.createMany({
            data: leaving.map((numberId) => ({
              id: newId(),
              accountId,
              numberId,
              kind: UNUSED_TIME_CREDITED,
              amountCents: 0,
              stripeObjectId: target.subscriptionId,
              description: 'left billing: unused time credited by proration on the next invoice',
            })),
          });
        }
        await tx.billingAccount.update({ where: { accountId }, data: { quantity, version: { increment: 1 } } });
        this.logger.log({ accountId, quantity, previous: billing.quantity, credited: leaving, cause, jobId: ctx.jobId }, 'subscription quantity synced');
        return leaving.length === 0 ? { synced: true, quantity } : { synced: true, quantity, credited: leaving.length };
      },
      // The Stripe calls run inside: allow for their timeouts, and for another sync of the account.
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  /** Numbers whose billing started and that are no longer billable, not credited yet. */
  private async leftAfterBillingStarted(tx: Tx, accountId: string, subscriptionId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT p.id FROM phone_numbers p
      WHERE p.account_id = ${accountId}
        AND p.status::text IN (${Prisma.join(NEVER_BILLABLE)})
        AND EXISTS (SELECT 1 FROM ledger_entries c
                    WHERE c.number_id = p.id AND c.stripe_object_id = ${subscriptionId} AND c.kind = ${BILLING_STARTED})
        AND NOT EXISTS (SELECT 1 FROM ledger_entries r
                        WHERE r.number_id = p.id AND r.stripe_object_id = ${subscriptionId} AND r.kind = ${UNUSED_TIME_CREDITED})
      ORDER BY p.id`;
    return rows.map((r) => r.id);
  }
}
