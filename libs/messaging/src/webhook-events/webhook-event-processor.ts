import { Injectable, Logger } from '@nestjs/common';
import { readWebhookEvents, type WebhookProvider } from '@numbers/contracts';
import { Database, WebhookEventRepository, type Tx, type WebhookEvent, type WebhookOutcome } from '@numbers/persistence';
import { UnrecoverableError } from 'bullmq';
import type { JobContext } from '../handlers/handles-job';
import type { StoredWebhookEvent, WebhookHandlerResult } from './handles-webhook-event';
import { WebhookEventHandlerRegistry } from './webhook-event-handler-registry';

export interface WebhookProcessingResult {
  webhookEventId: string;
  eventType: string;
  outcome: WebhookOutcome;
  detail: string | null;
  /** The event had been processed before this run: nothing was done. */
  alreadyProcessed: boolean;
}

/**
 * Processes one stored webhook event, the same way in every worker: in one transaction it locks
 * the `webhook_events` row, skips it if already processed, reads the provider's event back from
 * the stored body, hands it to the per-type handler (`@WebhookEventHandler`) with the
 * transaction, and marks it processed with the outcome: `applied`, or `ignored` (no handler for
 * the type, or the handler said so). The handler's writes and the mark commit together.
 *
 * Failures: an unrecoverable one (`retryable: false`, `UnrecoverableError`, an unreadable stored
 * body) and the last attempt of a retryable one roll the handler back, mark the event `failed`
 * with the reason, and fail the job with it (unrecoverable: refused; the last attempt: exhausted,
 * so re-driven later, which makes the event processable again); any other error rolls back and
 * is rethrown, and BullMQ retries the job with its backoff.
 */
@Injectable()
export class WebhookEventProcessor {
  private readonly logger = new Logger(WebhookEventProcessor.name);

  constructor(
    private readonly db: Database,
    private readonly events: WebhookEventRepository,
    private readonly registry: WebhookEventHandlerRegistry,
  ) {}

  async process(provider: WebhookProvider, webhookEventId: string, job: JobContext): Promise<WebhookProcessingResult> {
    try {
      return await this.db.transaction().execute((tx) => this.processIn(tx, provider, webhookEventId, job));
    } catch (error) {
      const unrecoverable = isUnrecoverable(error);
      if (!unrecoverable && job.attempt < job.maxAttempts) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const reason = unrecoverable ? message : `gave up after ${job.attempt} attempts: ${message}`;
      const marked = await this.events.markProcessed(webhookEventId, 'failed', reason);
      this.logger.warn({ webhookEventId, provider, jobId: job.jobId, marked, reason }, 'webhook event failed');
      throw unrecoverable ? new UnrecoverableError(reason) : new Error(reason);
    }
  }

  private async processIn(tx: Tx, provider: WebhookProvider, webhookEventId: string, job: JobContext): Promise<WebhookProcessingResult> {
    const row = await this.events.lockForProcessing(tx, webhookEventId);
    if (!row) throw new UnrecoverableError(`webhook event ${webhookEventId} does not exist`);
    if (row.provider !== provider) throw new UnrecoverableError(`webhook event ${webhookEventId} is a ${row.provider} event, not ${provider}`);
    const result = (outcome: WebhookOutcome, detail: string | null, alreadyProcessed = false): WebhookProcessingResult => ({
      webhookEventId,
      eventType: row.eventType,
      outcome,
      detail,
      alreadyProcessed,
    });
    if (row.processedAt) return result((row.outcome ?? 'applied') as WebhookOutcome, row.detail, true);

    const event = storedEventOf(row);
    const handler = this.registry.handlerFor(provider, row.eventType);
    if (!handler) {
      const detail = `no handler for ${row.eventType}`;
      await this.events.markProcessed(webhookEventId, 'ignored', detail, tx);
      return result('ignored', detail);
    }
    const cause = `webhook:${provider}:${row.eventId}`;
    const handled: WebhookHandlerResult = (await handler.handle(event, { tx, cause, job })) ?? { outcome: 'applied' };
    const detail = handled.detail ?? null;
    await this.events.markProcessed(webhookEventId, handled.outcome, detail, tx);
    this.logger.log({ webhookEventId, provider, eventType: row.eventType, eventId: row.eventId, outcome: handled.outcome }, 'webhook event processed');
    return result(handled.outcome, detail);
  }
}

/** The provider's event read back from the stored body (for Meta, the change this row is). */
function storedEventOf(row: WebhookEvent): StoredWebhookEvent {
  const provider = row.provider as WebhookProvider;
  let ref;
  try {
    ref = readWebhookEvents(provider, JSON.parse(row.rawBody)).find((e) => e.eventId === row.eventId);
  } catch (error) {
    throw new UnrecoverableError(`stored body unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!ref) throw new UnrecoverableError(`stored body has no event ${row.eventId}`);
  return { ...ref, webhookEventId: row.id, receivedAt: row.receivedAt };
}

function isUnrecoverable(error: unknown): boolean {
  return error instanceof UnrecoverableError || (error instanceof Error && (error as { retryable?: unknown }).retryable === false);
}
