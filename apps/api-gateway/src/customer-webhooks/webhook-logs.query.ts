import { Injectable } from '@nestjs/common';
import { WebhookDeliveryRepository } from '@numbers/persistence';
import type { WebhookLogsQuery } from './customer-webhooks.params';
import { presentWebhookLog } from './webhook.presenter';

/** `GET /v1/webhooks/logs`: the account's delivery attempts, newest first, with the SDK's pagination object. */
@Injectable()
export class WebhookLogsQueryHandler {
  constructor(private readonly deliveries: WebhookDeliveryRepository) {}

  async execute(accountId: string, query: WebhookLogsQuery) {
    const { logs, total } = await this.deliveries.list(accountId, query);
    return {
      logs: logs.map(presentWebhookLog),
      pagination: { total, limit: query.limit, skip: query.skip, pages: Math.ceil(total / query.limit), hasMore: query.skip + logs.length < total },
    };
  }
}
