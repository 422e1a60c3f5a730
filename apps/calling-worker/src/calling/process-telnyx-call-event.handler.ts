import type { JobPayloads } from '@numbers/contracts';
import { JobHandler, WebhookEventProcessor, type HandlesJob, type JobContext, type WebhookProcessingResult } from '@numbers/messaging';

/**
 * Processes one stored Telnyx `call.*` webhook event (the calling worker owns calls). The work is
 * the per-type `@WebhookEventHandler('telnyx', …)` classes of this worker, run by the shared
 * `WebhookEventProcessor` (load, skip if processed, dispatch by type, mark the outcome).
 */
@JobHandler('process-telnyx-call-event')
export class ProcessTelnyxCallEventHandler implements HandlesJob<'process-telnyx-call-event'> {
  constructor(private readonly events: WebhookEventProcessor) {}

  handle({ webhookEventId }: JobPayloads['process-telnyx-call-event'], ctx: JobContext): Promise<WebhookProcessingResult> {
    return this.events.process('telnyx', webhookEventId, ctx);
  }
}
