import { Injectable } from '@nestjs/common';
import { jobRequest } from '@numbers/contracts';
import { DomainError } from '@numbers/domain';
import { CustomerEventRepository, OutboxRepository, Database, WebhookEndpointRepository } from '@numbers/persistence';
import { webhookNotFound } from './webhook-settings.service';

/**
 * `POST /v1/webhooks/logs/redeliver`: deliver one of the account's events to one of its endpoints
 * again, with the same event id (receivers deduplicate on it). Queued through the outbox like
 * every delivery, so it is retried on the same schedule and logged attempt by attempt.
 */
@Injectable()
export class RedeliverWebhookEventUseCase {
  constructor(
    private readonly db: Database,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly events: CustomerEventRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async execute(accountId: string, webhookId: string, eventId: string): Promise<{ success: boolean; message: string }> {
    const endpoint = await this.endpoints.findForAccount(accountId, webhookId);
    if (!endpoint) throw webhookNotFound();
    if (!endpoint.isActive) throw new DomainError('WEBHOOK_DISABLED', 'The webhook is disabled: enable it (isActive: true) to redeliver to it', { param: 'webhookId' });
    const event = await this.events.findForAccount(accountId, eventId);
    if (!event) throw new DomainError('NOT_FOUND', 'Event not found (events are kept 30 days)', { param: 'eventId' });
    await this.outbox.add(this.db, [jobRequest('deliver-webhook', { eventId, webhookId })]);
    return { success: true, message: `Event ${eventId} queued for redelivery to webhook "${endpoint.name}"` };
  }
}
