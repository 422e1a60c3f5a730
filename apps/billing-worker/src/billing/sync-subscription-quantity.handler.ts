import type { JobPayloads } from '@numbers/contracts';
import { JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { SubscriptionQuantitySync, type SyncOutcome } from './subscription-quantity-sync';

/**
 * A number's billable state changed (`followUpsOf`): make the account's Stripe subscription
 * quantity equal its count of billable numbers and credit the unused time of numbers that left
 * after their billing started (`SubscriptionQuantitySync`, docs/billing.md). Syncs coalesce (one
 * run may carry several numbers' changes), so everything is read from the database, not the job.
 * The Stripe keys name the job and the target quantity: a retry with the same count changes Stripe
 * once. The recorded items (`subscription_items.quantity`) are what was last set at Stripe, so a
 * run whose counts equal them with no number leaving makes no Stripe call: a burst of purchases
 * queues one sync per number, and the first ones to run already count the later numbers. One sync
 * at a time sets an account's items at Stripe (a claim, not a transaction, is held meanwhile).
 */
@JobHandler('sync-subscription-quantity')
export class SyncSubscriptionQuantityHandler implements HandlesJob<'sync-subscription-quantity'> {
  constructor(private readonly sync: SubscriptionQuantitySync) {}

  handle({ accountId, cause }: JobPayloads['sync-subscription-quantity'], ctx: JobContext): Promise<SyncOutcome> {
    return this.sync.converge(accountId, { key: ctx.jobId, cause, jobId: ctx.jobId, observe: 'stored' });
  }
}
