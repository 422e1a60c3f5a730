import { Injectable } from '@nestjs/common';
import { TEST_EVENT_TYPE, type TestEventPayload } from '@numbers/contracts';
import { deliveryHeaders, newId } from '@numbers/domain';
import { CustomerEventRepository, WebhookDeliveryRepository, WebhookEndpointRepository, WebhookSecretSealer } from '@numbers/persistence';
import { WebhookSender } from '@numbers/providers';
import { webhookNotFound } from './webhook-settings.service';

/**
 * `POST /v1/webhooks/test`: one `webhook.test` delivery to the endpoint, now, whether it is
 * active or not and whatever it subscribed to. The event is recorded like any other (so it can be
 * redelivered) and the attempt is logged; a failed test does not count against the endpoint.
 */
@Injectable()
export class TestWebhookUseCase {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly events: CustomerEventRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly sealer: WebhookSecretSealer,
    private readonly sender: WebhookSender,
  ) {}

  async execute(accountId: string, webhookId: string): Promise<{ success: boolean; message: string }> {
    const endpoint = await this.endpoints.findForAccount(accountId, webhookId);
    if (!endpoint) throw webhookNotFound();
    const now = new Date();
    const event: TestEventPayload = { id: newId(now), event: TEST_EVENT_TYPE, message: `Test delivery to webhook "${endpoint.name}"`, timestamp: now.toISOString() };
    await this.events.record(accountId, event);

    const rawBody = JSON.stringify(event);
    const secret = this.sealer.open(endpoint.secretSealed, endpoint.id);
    const outcome = await this.sender.send({ url: endpoint.url, body: rawBody, headers: deliveryHeaders({ eventId: event.id, secret, rawBody, now, customHeaders: endpoint.customHeaders as Record<string, string> }) });
    await this.deliveries.record(
      { endpoint, event: { id: event.id, type: event.event, payload: event }, statusCode: outcome.statusCode, responseBody: outcome.responseBody, errorMessage: outcome.error, responseTimeMs: Math.round(outcome.responseTimeMs), at: now },
      outcome.ok ? 'delivered' : 'failed',
      () => null,
    );
    if (outcome.ok) return { success: true, message: `Delivered: the endpoint answered ${outcome.statusCode} in ${Math.round(outcome.responseTimeMs)} ms` };
    return { success: false, message: `Not delivered: ${outcome.error ?? `the endpoint answered ${outcome.statusCode}`}` };
  }
}
