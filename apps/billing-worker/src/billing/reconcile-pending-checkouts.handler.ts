import { Inject } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { ScheduledRunPayload } from '@numbers/contracts';
import { JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { CHECKOUT_NOT_CREATED_REASON, Database, NumberLifecycle, PurchaseRepository, StuckNumberSweep, SweepFailedError, type PhoneNumber, type SweepReport } from '@numbers/persistence';
import { STRIPE_GATEWAY, expireCheckoutKey, type StripeGateway } from '@numbers/providers';
import { checkoutSessionFactsOfSnapshot } from './checkout-session';
import { CheckoutSettlement } from './checkout-settlement';

const SWEEP = 'reconcile-pending-checkouts';

/**
 * Scheduled sweep of `pending_payment` numbers (the first number, paid through Stripe Checkout)
 * that nothing will move on:
 *
 * - no Checkout Session recorded `CHECKOUT_GRACE_MS` after the purchase (the gateway died
 *   between committing the number and creating the session): nobody can pay for it, so it is
 *   undone as the gateway undoes a purchase whose session could not be created — `checkout_expired`
 *   (→ released) with the same reason, and its purchase intent forgotten so a retry buys anew;
 * - a session recorded and no webhook settled it `CHECKOUT_RECHECK_MS` after the purchase (or
 *   after the last look): Stripe is asked, and a complete or expired session is settled by
 *   `CheckoutSettlement`, the code the webhook handlers run. An open session past its
 *   `expires_at` by `CHECKOUT_GRACE_MS` (Stripe should have expired it) is expired first; one
 *   still open is looked at again after `CHECKOUT_RECHECK_MS`.
 *
 * Numbers are claimed one at a time (`StuckNumberSweep`: one statement stamps the number, so
 * another run leaves it alone for the threshold), at most `SWEEP_BATCH_SIZE` of each kind per run.
 * Stripe is asked with no transaction open, and the settlement runs in a transaction of its own,
 * under the account's billing lock, where the lifecycle finds a number a webhook settled meanwhile
 * moved on.
 */
@JobHandler('reconcile-pending-checkouts')
export class ReconcilePendingCheckoutsHandler implements HandlesJob<'reconcile-pending-checkouts'> {
  constructor(
    private readonly config: AppConfig,
    private readonly db: Database,
    private readonly sweep: StuckNumberSweep,
    private readonly lifecycle: NumberLifecycle,
    private readonly purchases: PurchaseRepository,
    private readonly settlement: CheckoutSettlement,
    @Inject(STRIPE_GATEWAY) private readonly stripe: StripeGateway,
  ) {}

  async handle(_payload: ScheduledRunPayload, ctx: JobContext): Promise<SweepReport> {
    const cause = `sweep ${SWEEP} (job ${ctx.jobId})`;
    const now = new Date();
    const { batchSize, checkoutGraceMs, checkoutRecheckMs } = this.config.sweeps;
    const run = { sweep: SWEEP, limit: batchSize, now };
    const unpayable = await this.sweep.run('checkout_without_session', { ...run, quietForMs: checkoutGraceMs }, (number) => this.undoUnpayable(number, cause));
    const unsettled = await this.sweep.run('checkout_unsettled', { ...run, quietForMs: checkoutRecheckMs }, (number) =>
      this.settle(number.id, number.stripeCheckoutSessionId, cause, now),
    );
    const report = { acted: [...unpayable.acted, ...unsettled.acted], failed: [...unpayable.failed, ...unsettled.failed] };
    if (report.failed.length > 0) throw new SweepFailedError(SWEEP, report.failed);
    return report;
  }

  /** The release and the forgotten intent commit together: a retried purchase never finds a half-undone one. */
  private undoUnpayable(number: PhoneNumber, cause: string): Promise<string> {
    return this.db.transaction().execute(async (tx) => {
      const result = await this.lifecycle.apply(
        number,
        'checkout_expired',
        { cause: `${cause}: no checkout session`, actor: 'system', patch: { failureReason: CHECKOUT_NOT_CREATED_REASON } },
        tx,
      );
      if (!result.applied) return `not released: number is ${result.number.status}`;
      await this.purchases.forgetIntent(tx, number.accountId, number.id);
      return 'released: no checkout session';
    });
  }

  private async settle(numberId: string, sessionId: string | null, cause: string, now: Date): Promise<string> {
    if (!sessionId) return 'no checkout session'; // the claim selected numbers with one
    let session = await this.stripe.getCheckoutSession(sessionId);
    if (session.status === 'open') {
      const overdueAt = session.expiresAt * 1000 + this.config.sweeps.checkoutGraceMs;
      if (overdueAt > now.getTime()) return `checkout ${sessionId} still open (expires ${new Date(session.expiresAt * 1000).toISOString()})`;
      session = await this.stripe.expireCheckoutSession(sessionId, expireCheckoutKey(numberId));
    }
    const facts = checkoutSessionFactsOfSnapshot(session);
    if (facts.numberId !== numberId) throw new Error(`checkout ${sessionId} is for number ${facts.numberId ?? 'none'}, not ${numberId}`);
    const context = { cause: `${cause}: checkout ${sessionId} ${session.status}`, actor: 'system' as const };
    switch (session.status) {
      case 'complete': {
        const settled = await this.settlement.completed(facts, context);
        return settled.applied ? `paid: ${settled.detail}` : `checkout complete, not applied: ${settled.detail}`;
      }
      case 'expired': {
        const settled = await this.settlement.expired(facts, context);
        return settled.applied ? `expired: ${settled.detail}` : `checkout expired, not applied: ${settled.detail}`;
      }
      default:
        return `checkout ${sessionId} is ${session.status}`;
    }
  }
}
