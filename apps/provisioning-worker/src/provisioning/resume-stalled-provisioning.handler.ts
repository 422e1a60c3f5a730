import { Inject } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { jobRequest, type ScheduledRunPayload } from '@numbers/contracts';
import { JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { Database, NumberLifecycle, OutboxRepository, StuckNumberSweep, SweepFailedError, type PhoneNumber, type SweepReport } from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway } from '@numbers/providers';
import { NumberOrderSettlement } from './number-order-settlement';
import { RegulatoryReview } from './regulatory-review';
import { WhatsAppActivation } from './whatsapp-activation';

const SWEEP = 'resume-stalled-provisioning';

/** Stored on a number whose WhatsApp activation code never arrived, however often requested. */
export const WHATSAPP_CODE_NOT_RECEIVED = 'whatsapp_code_not_received';

/**
 * Scheduled sweep of numbers that stopped on their way to `active` because a job, a webhook or
 * an SMS was lost, or a process died at the wrong moment:
 *
 * - `provisioning` for `PROVISIONING_STALLED_MS`: with a carrier order, the order is read at the
 *   carrier and settled by `NumberOrderSettlement`, the code `number_order.complete` runs
 *   (fulfilled → verifying, failed → provisioning_failed, still pending → looked at again after
 *   the threshold); without one (the `order-number` job was lost, or the carrier no longer knows
 *   the order), `order-number` is written to the outbox again. That job never orders twice: it
 *   reads the stored order, the carrier answers an order placed with the same customer reference
 *   (our number id), and the call carries the key `order-<numberId>`;
 * - `verifying` for `REGISTRATION_STALLED_MS` without a code requested (the `register-whatsapp`
 *   job was lost): `register-whatsapp` again, through the outbox;
 * - `verifying` with the code requested `WHATSAPP_CODE_TIMEOUT_MS` ago and not verified (the SMS
 *   was lost): another code is requested at Meta, counted on the number; after
 *   `WHATSAPP_CODE_MAX_REQUESTS` requests, `provisioning_failed` with the reason
 *   `whatsapp_code_not_received` (the lifecycle then releases the number; it never billed);
 * - `pending_regulatory` for `REGULATORY_RECHECK_MS` (the verdict's event or job was lost, or the
 *   job that follows it): `RegulatoryReview.recheck` reads the requirement group at the carrier
 *   and settles a verdict through `settleVerdict` (the `settle-regulatory-verdict` code), or
 *   queues again the `order-number` of a recorded approval or the `resubmit-requirement-group` of
 *   a round not submitted; a review still going on is looked at again after the threshold;
 * - `releasing` for `RELEASE_STALLED_MS` (the `release-number` job was lost or gave up):
 *   `release-number` again, through the outbox (it is safe to run twice).
 *
 * Numbers are claimed one at a time (`StuckNumberSweep`: one statement stamps the number, so it is
 * left alone for the threshold after), at most `SWEEP_BATCH_SIZE` of each kind per run. The
 * carrier and Meta are asked with no transaction open; what follows is one statement (the
 * lifecycle's, or the outbox row).
 */
@JobHandler('resume-stalled-provisioning')
export class ResumeStalledProvisioningHandler implements HandlesJob<'resume-stalled-provisioning'> {
  constructor(
    private readonly config: AppConfig,
    private readonly db: Database,
    private readonly sweep: StuckNumberSweep,
    private readonly outbox: OutboxRepository,
    private readonly lifecycle: NumberLifecycle,
    private readonly settlement: NumberOrderSettlement,
    private readonly activation: WhatsAppActivation,
    private readonly review: RegulatoryReview,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  async handle(_payload: ScheduledRunPayload, ctx: JobContext): Promise<SweepReport> {
    const cause = `sweep ${SWEEP} (job ${ctx.jobId})`;
    const { batchSize, provisioningStalledMs, registrationStalledMs, whatsappCodeTimeoutMs, regulatoryRecheckMs, releaseStalledMs } = this.config.sweeps;
    const run = { sweep: SWEEP, limit: batchSize, now: new Date() };
    const reports = [
      await this.sweep.run('provisioning_stalled', { ...run, quietForMs: provisioningStalledMs }, (number) => this.resumeOrder(number, cause)),
      await this.sweep.run('registration_not_started', { ...run, quietForMs: registrationStalledMs }, (number) => this.resumeRegistration(number)),
      await this.sweep.run('whatsapp_code_overdue', { ...run, quietForMs: whatsappCodeTimeoutMs }, (number) => this.requestCodeAgain(number, cause)),
      await this.sweep.run('regulatory_verdict_overdue', { ...run, quietForMs: regulatoryRecheckMs }, (number) =>
        this.review.recheck(number, { cause, actor: 'system' }),
      ),
      await this.sweep.run('release_stalled', { ...run, quietForMs: releaseStalledMs }, (number) => this.resumeRelease(number)),
    ];
    const report = { acted: reports.flatMap((r) => r.acted), failed: reports.flatMap((r) => r.failed) };
    if (report.failed.length > 0) throw new SweepFailedError(SWEEP, report.failed);
    return report;
  }

  private async resumeOrder(number: PhoneNumber, cause: string): Promise<string> {
    const orderId = number.telnyxOrderId;
    const order = orderId ? await this.carrier.getNumberOrder(orderId) : null;
    if (orderId && order) {
      const settled = await this.settlement.settle(number, order, { cause: `${cause}: order ${orderId} ${order.status}`, actor: 'system' });
      switch (settled.outcome) {
        case 'pending':
          return `order ${orderId} still pending at the carrier`;
        case 'ordered':
          return settled.applied ? `ordered: ${settled.phoneNumber}` : `order ${orderId} fulfilled, not applied`;
        case 'failed':
          return settled.applied ? `ended: ${settled.reason}` : `order ${orderId} failed, not applied: ${settled.reason}`;
        case 'reordering':
          return `order ${orderId} failed: ordering another number`;
        case 'skipped':
          return `order ${orderId} not settled: ${settled.reason}`;
      }
    }
    await this.outbox.add(this.db, [jobRequest('order-number', { numberId: number.id })]);
    return orderId ? `order ${orderId} unknown at the carrier: order-number again` : 'no carrier order: order-number again';
  }

  private async resumeRelease(number: PhoneNumber): Promise<string> {
    await this.outbox.add(this.db, [jobRequest('release-number', { numberId: number.id })]);
    return 'still releasing: release-number again';
  }

  private async resumeRegistration(number: PhoneNumber): Promise<string> {
    await this.outbox.add(this.db, [jobRequest('register-whatsapp', { numberId: number.id })]);
    return 'no WhatsApp code requested: register-whatsapp again';
  }

  private async requestCodeAgain(number: PhoneNumber, cause: string): Promise<string> {
    // A number whose code was requested before the count existed has had one request.
    const requests = Math.max(number.whatsappCodeRequests, 1);
    const max = this.config.sweeps.whatsappCodeMaxRequests;
    if (requests >= max) {
      const result = await this.lifecycle.apply(
        number.id,
        'provisioning_failed',
        { cause: `${cause}: no WhatsApp code after ${requests} requests`, actor: 'system', patch: { failureReason: WHATSAPP_CODE_NOT_RECEIVED } },
      );
      return result.applied ? `ended: ${WHATSAPP_CODE_NOT_RECEIVED} after ${requests} requests` : `not ended: number is ${result.number.status}`;
    }
    if (!number.metaPhoneNumberId) throw new Error(`number ${number.id} is waiting for a WhatsApp code without a WhatsApp id`);
    const requested = await this.activation.requestCode({ ...number, metaPhoneNumberId: number.metaPhoneNumberId }, { cause, actor: 'system' });
    switch (requested.status) {
      case 'requested':
        return `WhatsApp code requested again (${requests + 1} of ${max})`;
      case 'requested_elsewhere':
        return 'WhatsApp code requested again by another run';
      case 'activated':
        return `verified at Meta already: ${requested.applied ? 'active' : 'not applied'}`;
    }
  }
}
