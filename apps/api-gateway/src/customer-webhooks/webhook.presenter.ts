import type { WebhookDeliveryLog, WebhookEndpoint } from '@numbers/persistence';

/** An endpoint as the SDK's `Webhook`: never its secret, except once, on create. */
export function presentWebhook(endpoint: WebhookEndpoint, secret?: string) {
  return {
    _id: endpoint.id,
    name: endpoint.name,
    url: endpoint.url,
    ...(secret !== undefined ? { secret } : {}),
    events: endpoint.events ?? [],
    isActive: endpoint.isActive,
    ...(endpoint.lastFiredAt ? { lastFiredAt: endpoint.lastFiredAt.toISOString() } : {}),
    failureCount: endpoint.failureCount,
    customHeaders: endpoint.customHeaders as Record<string, string>,
  };
}

/** A delivery attempt as the SDK's `WebhookLog`. */
export function presentWebhookLog(log: WebhookDeliveryLog) {
  return {
    userId: log.accountId,
    webhookId: log.webhookId,
    webhookName: log.webhookName,
    eventId: log.eventId,
    event: log.event,
    url: log.url,
    status: log.status as 'success' | 'failed',
    ...(log.statusCode !== null ? { statusCode: log.statusCode } : {}),
    requestPayload: log.requestPayload as Record<string, unknown>,
    ...(log.responseBody !== null ? { responseBody: log.responseBody } : {}),
    ...(log.errorMessage !== null ? { errorMessage: log.errorMessage } : {}),
    attemptNumber: log.attemptNumber,
    responseTime: log.responseTimeMs,
    createdAt: log.createdAt.toISOString(),
  };
}
