import type { JobPayloads } from '@numbers/contracts';
import { JobHandler, WebhookEventProcessor, type HandlesJob, type JobContext, type WebhookProcessingResult } from '@numbers/messaging';

/**
 * Processes one stored Telnyx webhook event other than `call.*` (number orders, messages). The work is
 * the per-type `@WebhookEventHandler('telnyx', …)` classes of this worker, run by the shared
 * `WebhookEventProcessor` (load, skip if processed, dispatch by type, mark the outcome).
 */
@JobHandler('process-telnyx-event')
export class ProcessTelnyxEventHandler implements HandlesJob<'process-telnyx-event'> {
  constructor(private readonly events: WebhookEventProcessor) {}

  handle({ webhookEventId }: JobPayloads['process-telnyx-event'], ctx: JobContext): Promise<WebhookProcessingResult> {
    return this.events.process('telnyx', webhookEventId, ctx);
  }
}
