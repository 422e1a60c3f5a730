import { AppConfig } from '@numbers/config';
import { jobRequest, type ScheduledRunPayload } from '@numbers/contracts';
import { JobHandler, type HandlesJob } from '@numbers/messaging';
import { Database, OutboxRepository, StuckNumberSweep, SweepFailedError, type PhoneNumber, type SweepReport } from '@numbers/persistence';

const SWEEP = 'resume-stalled-billing';

/**
 * Scheduled sweep of `active` numbers whose billing never started: the `start-billing` job that
 * follows activation was lost (its outbox row published to a Redis that lost it, or it gave up).
 * Billing has started for a number when the account's subscription has its `charge` ledger row
 * for the number (what `start-billing` records); one active for `BILLING_START_STALLED_MS`
 * without it gets `start-billing` again, through the outbox. That job charges once however often
 * it runs (its ledger row is unique per subscription and number, its Stripe calls carry keys
 * derived from the number), and skips a number that left billing meanwhile.
 *
 * Numbers are claimed one at a time (`StuckNumberSweep`: one statement stamps the number, so it
 * is left alone for the threshold after), at most `SWEEP_BATCH_SIZE` per run; Stripe is not asked.
 */
@JobHandler('resume-stalled-billing')
export class ResumeStalledBillingHandler implements HandlesJob<'resume-stalled-billing'> {
  constructor(
    private readonly config: AppConfig,
    private readonly db: Database,
    private readonly sweep: StuckNumberSweep,
    private readonly outbox: OutboxRepository,
  ) {}

  async handle(_payload: ScheduledRunPayload): Promise<SweepReport> {
    const { batchSize, billingStartStalledMs } = this.config.sweeps;
    const report = await this.sweep.run('billing_not_started', { sweep: SWEEP, limit: batchSize, quietForMs: billingStartStalledMs }, (number) =>
      this.startBilling(number),
    );
    if (report.failed.length > 0) throw new SweepFailedError(SWEEP, report.failed);
    return report;
  }

  private async startBilling(number: PhoneNumber): Promise<string> {
    await this.outbox.add(this.db, [jobRequest('start-billing', { numberId: number.id })]);
    return 'active without billing started: start-billing again';
  }
}
