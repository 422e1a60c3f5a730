import type { JobPayloads } from '@numbers/contracts';
import { JobHandler, WebhookEventProcessor, type HandlesJob, type JobContext, type WebhookProcessingResult } from '@numbers/messaging';

/**
 * Processes one stored Stripe webhook event (`webhook_events` row), as stored by the gateway. The work is
 * the per-type `@WebhookEventHandler('stripe', …)` classes of this worker, run by the shared
 * `WebhookEventProcessor` (load, skip if processed, dispatch by type, mark the outcome).
 */
@JobHandler('process-stripe-event')
export class ProcessStripeEventHandler implements HandlesJob<'process-stripe-event'> {
  constructor(private readonly events: WebhookEventProcessor) {}

  handle({ webhookEventId }: JobPayloads['process-stripe-event'], ctx: JobContext): Promise<WebhookProcessingResult> {
    return this.events.process('stripe', webhookEventId, ctx);
  }
}
