import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { RegulatoryReview } from './regulatory-review';

/**
 * Telnyx `requirement_group.status_updated`: the regulator's verdict on a number's requirement
 * group. The number is found by the group's customer reference (our number id), else by the
 * group id, and `settle-regulatory-verdict` is queued: it reads the group back from the carrier
 * (today's truth, not the event's copy) outside this transaction and applies a verdict on the
 * round last submitted once (see RegulatoryReview.settleVerdict).
 */
@WebhookEventHandler('telnyx', 'requirement_group.status_updated')
export class RequirementGroupStatusUpdatedEventHandler implements HandlesWebhookEvent<'telnyx'> {
  constructor(private readonly review: RegulatoryReview) {}

  async handle(event: StoredWebhookEvent<'telnyx'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const group = event.payload.payload;
    const groupId = typeof group['id'] === 'string' ? group['id'] : null;
    if (!groupId) return { outcome: 'ignored', detail: 'the event names no requirement group' };
    const queued = await this.review.verdictAnnounced(groupId, group['customer_reference'], tx, cause);
    return { outcome: queued.applied ? 'applied' : 'ignored', detail: queued.detail };
  }
}
