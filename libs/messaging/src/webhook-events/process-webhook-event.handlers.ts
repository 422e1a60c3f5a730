import { Inject, type Type } from '@nestjs/common';
import { JOBS, QUEUE_OWNER, WEBHOOK_JOB_NAMES, WEBHOOK_ROUTES, type JobPayloads, type WebhookJobName, type WorkerApp } from '@numbers/contracts';
import type { HandlesJob, JobContext } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';
import { WebhookEventProcessor, type WebhookProcessingResult } from './webhook-event-processor';

/**
 * The `@JobHandler` of each `process-<provider>-event` job whose queue `app` owns, built from the
 * contracts (the job's queue in `JOBS`, its provider in `WEBHOOK_ROUTES`): each hands the stored
 * event to `WebhookEventProcessor`, so no app writes a class that only passes the call on.
 */
export function processWebhookEventHandlers(app: WorkerApp): Type<HandlesJob<WebhookJobName>>[] {
  return WEBHOOK_JOB_NAMES.filter((job) => QUEUE_OWNER[JOBS[job].queue] === app).map(processWebhookEventHandler);
}

function processWebhookEventHandler(job: WebhookJobName): Type<HandlesJob<WebhookJobName>> {
  const route = WEBHOOK_ROUTES.find((r) => r.job === job);
  if (!route) throw new Error(`no route in WEBHOOK_ROUTES sends events to ${job}`);
  const { provider } = route;

  @JobHandler(job)
  class ProcessWebhookEventHandler implements HandlesJob<WebhookJobName> {
    constructor(@Inject(WebhookEventProcessor) private readonly events: WebhookEventProcessor) {}

    handle({ webhookEventId }: JobPayloads[WebhookJobName], ctx: JobContext): Promise<WebhookProcessingResult> {
      return this.events.process(provider, webhookEventId, ctx);
    }
  }
  // The name the wiring check reports, as a hand-written class would have: ProcessStripeEventHandler.
  Object.defineProperty(ProcessWebhookEventHandler, 'name', { value: `${pascalCase(job)}Handler` });
  return ProcessWebhookEventHandler;
}

function pascalCase(kebab: string): string {
  return kebab.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}
