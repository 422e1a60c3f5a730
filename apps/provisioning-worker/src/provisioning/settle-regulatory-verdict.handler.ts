import type { JobPayloads } from '@numbers/contracts';
import { JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { RegulatoryReview, type VerdictOutcome } from './regulatory-review';

/**
 * The carrier announced a verdict on a number's requirement group: read it at the carrier and
 * record it once (RegulatoryReview.settleVerdict), as the carrier's event that announced it.
 */
@JobHandler('settle-regulatory-verdict')
export class SettleRegulatoryVerdictHandler implements HandlesJob<'settle-regulatory-verdict'> {
  constructor(private readonly review: RegulatoryReview) {}

  handle({ numberId, requirementGroupId, cause }: JobPayloads['settle-regulatory-verdict'], ctx: JobContext): Promise<VerdictOutcome> {
    return this.review.settleVerdict(numberId, requirementGroupId, { cause: `${cause} (job ${ctx.jobId})`, actor: 'telnyx' });
  }
}
