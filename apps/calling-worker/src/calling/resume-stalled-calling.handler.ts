import { Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { jobRequest, type ScheduledRunPayload } from '@numbers/contracts';
import { JobHandler, type HandlesJob } from '@numbers/messaging';
import { CallRepository, Database, OutboxRepository, StuckNumberSweep, SweepFailedError, type PhoneNumber, type SweepReport } from '@numbers/persistence';

const SWEEP = 'resume-stalled-calling';

export interface StalledCallingReport extends SweepReport {
  /** Calls ended by the sweep, with the status they ended in. */
  calls: { callId: string; status: string }[];
}

/**
 * Scheduled sweep of calling work a lost job or webhook left half done:
 *
 * - calling settings `enabling` or `disabling` for `CALLING_SYNC_STALLED_MS` since the customer
 *   asked (the `sync-whatsapp-calling` job was lost): that job again, through the outbox. It
 *   converges on the wish whatever ran before (every step is idempotent, and its result is
 *   recorded only for the generation it read). Numbers are claimed one at a time by
 *   `StuckNumberSweep`, so the next run leaves them alone for the threshold;
 * - calls still `dialing` or `ringing` `CALL_STALLED_MS` after they were placed, far past any
 *   ring timeout (the `place-call` job or the carrier's webhooks were lost): ended `failed`
 *   through the call state rules (`stalledCallEvent`), under the call's lock, so a webhook that
 *   moved the call on first wins; the customer gets its `call.failed` with the end. A failed call
 *   is final, so the next run finds nothing. The carrier is not asked: it has no read of a call,
 *   and past the bound no answer it could give would keep the call alive.
 */
@JobHandler('resume-stalled-calling')
export class ResumeStalledCallingHandler implements HandlesJob<'resume-stalled-calling'> {
  private readonly logger = new Logger(ResumeStalledCallingHandler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly db: Database,
    private readonly sweep: StuckNumberSweep,
    private readonly outbox: OutboxRepository,
    private readonly calls: CallRepository,
  ) {}

  async handle(_payload: ScheduledRunPayload): Promise<StalledCallingReport> {
    const now = new Date();
    const { batchSize, callingSyncStalledMs, callStalledMs } = this.config.sweeps;
    const report = await this.sweep.run('calling_sync_stalled', { sweep: SWEEP, limit: batchSize, quietForMs: callingSyncStalledMs, now }, (number) =>
      this.syncAgain(number),
    );
    const calls: StalledCallingReport['calls'] = [];
    for (const call of await this.calls.stalled(new Date(now.getTime() - callStalledMs), batchSize)) {
      const status = await this.calls.failStalled(call.id, now);
      if (!status) continue;
      calls.push({ callId: call.id, status });
      this.logger.warn({ sweep: SWEEP, callId: call.id, was: call.status, createdAt: call.createdAt }, `sweep: call left ${call.status} ended ${status}`);
    }
    if (report.failed.length > 0) throw new SweepFailedError(SWEEP, report.failed);
    return { ...report, calls };
  }

  private async syncAgain(number: PhoneNumber): Promise<string> {
    await this.outbox.add(this.db, [jobRequest('sync-whatsapp-calling', { numberId: number.id })]);
    return `calling still ${number.callingStatus}: sync-whatsapp-calling again`;
  }
}
