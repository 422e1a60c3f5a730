import { Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import type { JobPayloads } from '@numbers/contracts';
import { deliveryHeaders, jitteredDelayMs, retryDelaysMs, shouldDisableEndpoint } from '@numbers/domain';
import { AppMetrics, DeferJob, InFlightLimiter, JobHandler, type HandlesJob, type InFlightLimits, type JobContext } from '@numbers/messaging';
import { SealedSecretRepository, WebhookDeliveryRepository, WebhookSecretSealer, type EndpointStanding } from '@numbers/persistence';
import { WebhookSender } from '@numbers/providers';

/** How long a delivery waits, about, when its slow endpoint already has its most attempts in flight. */
const ENDPOINT_BUSY_RETRY_MS = 1_000;
/** An attempt that fails or takes this long marks its endpoint slow... */
const SLOW_ATTEMPT_MS = 1_000;
/** ...for this long after it (each slow attempt starts it again). */
const SLOW_FOR_MS = 60_000;

/** What the log keeps of an endpoint's answer (the sender reads at most 64 KB of it). */
export const LOGGED_RESPONSE_BODY_CHARS = 4096;

export type DeliveryResult = { delivered: boolean; attempt?: number; skipped?: string };

/** A failed attempt with attempts left: BullMQ runs the job again after the schedule's next wait. */
export class DeliveryFailedError extends Error {
  constructor(webhookId: string, eventId: string, reason: string) {
    super(`delivery of ${eventId} to webhook ${webhookId} failed: ${reason}`);
    this.name = 'DeliveryFailedError';
  }
}

/**
 * One attempt to deliver a customer event to one endpoint: POST the event's body, signed for this
 * attempt, and log the attempt with what it did to the endpoint's standing. A failure with
 * attempts left throws, so BullMQ retries on the delivery schedule (`WEBHOOK_DELIVERY_BACKOFF`);
 * the last one counts as a terminal failure of the endpoint, which the disable rule may switch
 * off. An endpoint deleted or disabled since the event was born gets nothing. An endpoint whose
 * last attempts failed or were slow holds at most WEBHOOK_ENDPOINT_MAX_IN_FLIGHT attempts at once
 * across every worker: another delivery to it is deferred a second or so, its attempt unspent, so
 * other customers' deliveries take the rest of the slots. A healthy endpoint is not limited (a
 * burst to a fast endpoint would otherwise churn through deferrals). A job run twice
 * delivers twice: receivers deduplicate on the event id, which never changes. Each attempt (or
 * skip) is counted by outcome in `numbers_webhook_deliveries_total`.
 */
@JobHandler('deliver-webhook')
export class DeliverWebhookHandler implements HandlesJob<'deliver-webhook'> {
  private readonly logger = new Logger(DeliverWebhookHandler.name);
  private readonly retries: number;
  private readonly limits: InFlightLimits;
  private readonly slotTtlMs: number;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly sealer: WebhookSecretSealer,
    private readonly secrets: SealedSecretRepository,
    private readonly sender: WebhookSender,
    private readonly inFlight: InFlightLimiter,
    private readonly metrics: AppMetrics,
    config: AppConfig,
  ) {
    this.retries = retryDelaysMs(config.webhooks.retry).length;
    // A healthy endpoint may have every slot; a slow one its share (WEBHOOK_ENDPOINT_MAX_IN_FLIGHT).
    this.limits = { limit: Number.MAX_SAFE_INTEGER, slowLimit: config.endpointMaxInFlight };
    // A slot outlives any attempt (the timeout bounds it), yet frees itself if its holder died.
    this.slotTtlMs = 2 * config.webhooks.timeoutMs + 5_000;
  }

  async handle({ eventId, webhookId }: JobPayloads['deliver-webhook'], ctx: JobContext): Promise<DeliveryResult> {
    // The slot before anything else: a delivery deferred because its endpoint is busy (in a burst
    // to one endpoint, most of the jobs the worker takes) then costs no database read.
    const slot = `webhook:${webhookId}`;
    if (!(await this.inFlight.acquire(slot, this.limits, this.slotTtlMs))) {
      throw new DeferJob(jitteredDelayMs(ENDPOINT_BUSY_RETRY_MS, Math.random, 0.5), `webhook ${webhookId} is slow and has ${this.limits.slowLimit} attempts in flight`);
    }
    let slowForMs = 0;
    const sent = await this.send(webhookId, eventId)
      .then((result) => {
        const { outcome } = result;
        if (outcome && (!outcome.ok || outcome.responseTimeMs >= SLOW_ATTEMPT_MS)) slowForMs = SLOW_FOR_MS;
        return result;
      })
      .finally(() => this.inFlight.release(slot, slowForMs));
    if ('skipped' in sent) {
      this.metrics.webhookDelivery('skipped');
      return { delivered: false, skipped: sent.skipped };
    }
    const { endpoint, event, outcome, now } = sent;
    const lastAttempt = ctx.attempt > Math.min(this.retries, ctx.maxAttempts - 1);
    const verdict = outcome.ok ? 'delivered' : lastAttempt ? 'gave_up' : 'failed';
    const { attemptNumber, disabled } = await this.deliveries.record(
      {
        endpoint,
        event,
        statusCode: outcome.statusCode,
        responseBody: outcome.responseBody?.slice(0, LOGGED_RESPONSE_BODY_CHARS) ?? null,
        errorMessage: outcome.error,
        responseTimeMs: Math.round(outcome.responseTimeMs),
        at: now,
      },
      verdict,
      (standing) => disableReason(standing, now),
    );
    this.metrics.webhookDelivery(verdict);
    if (disabled) this.logger.warn({ webhookId, accountId: endpoint.accountId, reason: disabled }, 'webhook endpoint disabled');
    if (verdict === 'failed') throw new DeliveryFailedError(webhookId, eventId, outcome.error ?? `HTTP ${outcome.statusCode}`);
    return { delivered: outcome.ok, attempt: attemptNumber };
  }

  /** The attempt's request, with the endpoint's slot held; what it found, or why nothing was sent. */
  private async send(webhookId: string, eventId: string) {
    const found = await this.deliveries.findDelivery(webhookId, eventId);
    if (!found) return { skipped: 'webhook deleted' };
    const { endpoint, event } = found;
    if (!endpoint.isActive) return { skipped: 'webhook disabled' };
    if (!event) return { skipped: 'event pruned' };
    const now = new Date();
    const rawBody = JSON.stringify(event.payload);
    // Under a retired key, the secret is sealed again under the current one as it is used.
    const secret = await this.sealer.openAndRefresh(endpoint.secretSealed, endpoint.id, (resealed) =>
      this.secrets.replace('webhook-secret', endpoint.id, endpoint.secretSealed, resealed),
    );
    const outcome = await this.sender.send({ url: endpoint.url, body: rawBody, headers: deliveryHeaders({ eventId, secret, rawBody, now, customHeaders: endpoint.customHeaders as Record<string, string> }) });
    return { endpoint, event, outcome, now };
  }
}

function disableReason(standing: EndpointStanding, now: Date): string | null {
  const health = { consecutiveFailures: standing.failureCount, lastSuccessAt: standing.lastFiredAt, failingSince: standing.failingSince, now };
  if (!shouldDisableEndpoint(health)) return null;
  return `no successful delivery for 3 days (${standing.failureCount} events in a row failed after every retry)`;
}
