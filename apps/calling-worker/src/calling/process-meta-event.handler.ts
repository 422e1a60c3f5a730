import type { JobPayloads } from '@numbers/contracts';
import { JobHandler, WebhookEventProcessor, type HandlesJob, type JobContext, type WebhookProcessingResult } from '@numbers/messaging';

/**
 * Processes one stored Meta webhook change (`entry[].changes[]`). The work is
 * the per-type `@WebhookEventHandler('meta', …)` classes of this worker, run by the shared
 * `WebhookEventProcessor` (load, skip if processed, dispatch by type, mark the outcome).
 */
@JobHandler('process-meta-event')
export class ProcessMetaEventHandler implements HandlesJob<'process-meta-event'> {
  constructor(private readonly events: WebhookEventProcessor) {}

  handle({ webhookEventId }: JobPayloads['process-meta-event'], ctx: JobContext): Promise<WebhookProcessingResult> {
    return this.events.process('meta', webhookEventId, ctx);
  }
}
