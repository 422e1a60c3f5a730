import type { JobPayloads } from '@numbers/contracts';
import { GiveUpError, JobHandler, type HandlesJob, type JobContext } from '@numbers/messaging';
import { ProviderError } from '@numbers/providers';
import { RegulatoryReview } from './regulatory-review';

/**
 * A declined number was remediated (→ pending_regulatory, the next review round): its corrected
 * fields go to the same requirement group at the carrier, which is submitted for review again
 * (keys per number and round; the round is recorded as submitted first, so a verdict arriving at
 * once counts). Run twice, the second run finds the round submitted and does nothing. A carrier
 * that refuses the correction (4xx) fails the job for an operator: the number stays in review.
 */
@JobHandler('resubmit-requirement-group')
export class ResubmitRequirementGroupHandler implements HandlesJob<'resubmit-requirement-group'> {
  constructor(private readonly review: RegulatoryReview) {}

  async handle({ numberId }: JobPayloads['resubmit-requirement-group'], _ctx: JobContext): Promise<unknown> {
    try {
      return await this.review.resubmit(numberId);
    } catch (error) {
      if (error instanceof ProviderError && !error.retryable) throw new GiveUpError(`carrier refused the corrections: ${error.message}`);
      throw error;
    }
  }
}
