import { WebhookEventHandler, type HandlesWebhookEvent, type StoredWebhookEvent, type WebhookEventContext, type WebhookHandlerResult } from '@numbers/messaging';
import { RegulatoryReview } from './regulatory-review';

/**
 * Telnyx `requirement_group.status_updated`: the regulator's verdict on a number's requirement
 * group. The number is found by the group's customer reference (our number id), else by the
 * group id; the group is read back from the carrier (today's truth, not the event's copy) and a
 * verdict on the round last submitted is applied once: approval enqueues `order-number` (which
 * orders with the group, as the unregulated flow does), a decline applies `regulatory_declined`
 * with the reviewer's reason and stores the fields to fix. Anything else (still under review, an
 * earlier round, a repeated event) changes nothing and says why.
 */
@WebhookEventHandler('telnyx', 'requirement_group.status_updated')
export class RequirementGroupStatusUpdatedEventHandler implements HandlesWebhookEvent<'telnyx'> {
  constructor(private readonly review: RegulatoryReview) {}

  async handle(event: StoredWebhookEvent<'telnyx'>, { tx, cause }: WebhookEventContext): Promise<WebhookHandlerResult> {
    const group = event.payload.payload;
    const groupId = typeof group['id'] === 'string' ? group['id'] : null;
    if (!groupId) return { outcome: 'ignored', detail: 'the event names no requirement group' };
    const settled = await this.review.settleVerdict(groupId, group['customer_reference'], tx, { cause, actor: 'telnyx' });
    return { outcome: settled.applied ? 'applied' : 'ignored', detail: settled.detail };
  }
}
