import { ENDED_SUBSCRIPTION } from '@numbers/domain';
import { Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { ScheduledRunPayload } from '@numbers/contracts';
import { JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { BillingAccountRepository } from '@numbers/persistence';
import { SubscriptionEnding } from './subscription-ending';
import { SubscriptionQuantitySync } from './subscription-quantity-sync';

const JOB = 'reconcile-subscription-quantities';

export interface QuantityReconciliation {
  /** Accounts compared with Stripe in this run. */
  checked: number;
  /** Drift repaired: Stripe's quantity before, the billable count after. */
  repaired: { accountId: string; before: number; after: number }[];
  /** Subscriptions Stripe says ended that we had not heard of (their webhook was lost). */
  ended: { accountId: string; status: string; released: string[] }[];
  failed: { accountId: string; error: string }[];
}

/**
 * Scheduled (SCHEDULES): Stripe's subscription quantity converges to each account's billable
 * numbers even when a sync was lost or someone changed the subscription at Stripe. Each run
 * takes at most `RECONCILE_BATCH_SIZE` accounts with a live subscription, least recently compared
 * first (`billing_accounts.reconciled_at`, claimed with `FOR UPDATE SKIP LOCKED`, so overlapping
 * runs take different accounts), reads each subscription at Stripe and, when its quantity is not
 * the billable count, repairs it through `SubscriptionQuantitySync`, the code of
 * `sync-subscription-quantity`; each repair is logged with before and after. An account in step
 * costs one read and no change; one whose items a sync is setting at Stripe is left to it. A subscription Stripe says ended is ended here too
 * (`SubscriptionEnding`, as `customer.subscription.deleted` would). One account failing does not
 * stop the others; the run then fails naming them.
 */
@JobHandler(JOB)
export class ReconcileSubscriptionQuantitiesHandler implements HandlesJob<'reconcile-subscription-quantities'> {
  private readonly logger = new Logger(ReconcileSubscriptionQuantitiesHandler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly billingAccounts: BillingAccountRepository,
    private readonly sync: SubscriptionQuantitySync,
    private readonly ending: SubscriptionEnding,
  ) {}

  async handle(_payload: ScheduledRunPayload, ctx: JobContext): Promise<QuantityReconciliation> {
    const cause = `${JOB} (job ${ctx.jobId})`;
    const accounts = await this.billingAccounts.claimForReconciliation(this.config.reconcile.batchSize, ENDED_SUBSCRIPTION);
    const report: QuantityReconciliation = { checked: accounts.length, repaired: [], ended: [], failed: [] };
    for (const accountId of accounts) {
      try {
        const outcome = await this.sync.converge(accountId, { key: `${ctx.jobId}.${accountId}`, cause, jobId: ctx.jobId, observe: 'stripe' });
        if (outcome.synced) {
          report.repaired.push({ accountId, before: outcome.previous, after: outcome.quantity });
          this.logger.warn({ accountId, before: outcome.previous, after: outcome.quantity, credited: outcome.credited ?? 0, jobId: ctx.jobId }, 'subscription quantity drift repaired');
        } else if (outcome.ended) {
          const status = outcome.ended;
          const { released } = await this.billingAccounts.underLock(accountId, async (tx) => {
            const billing = await this.billingAccounts.byAccount(accountId, tx);
            if (!billing) throw new Error(`billing account ${accountId} is gone`);
            return this.ending.end(tx, billing, status, { cause: `${cause}: subscription ${status} at Stripe`, actor: 'system' });
          });
          report.ended.push({ accountId, status, released });
          this.logger.warn({ accountId, status, released, jobId: ctx.jobId }, 'subscription ended at Stripe without its webhook: ended here');
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report.failed.push({ accountId, error: message });
        this.logger.error({ accountId, error: message, jobId: ctx.jobId }, 'subscription quantity not reconciled');
      }
    }
    this.logger.log({ checked: report.checked, repaired: report.repaired.length, ended: report.ended.length, failed: report.failed.length, jobId: ctx.jobId }, `${JOB} run`);
    if (report.failed.length > 0) throw new Error(`${JOB}: ${report.failed.map((f) => `${f.accountId}: ${f.error}`).join('; ')}`);
    return report;
  }
}
