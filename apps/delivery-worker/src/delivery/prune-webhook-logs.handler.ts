import { Logger } from '@nestjs/common';
import { JobHandler, type HandlesJob } from '@numbers/messaging';
import { WebhookDeliveryRepository } from '@numbers/persistence';

/** Delivery logs and customer events are kept 30 days (SPEC "Webhooks out"). */
export const WEBHOOK_LOG_RETENTION_MS = 30 * 24 * 3600 * 1000;
const PRUNE_BATCH = 5000;

/** Scheduled: deletes delivery logs and customer events older than their 30 days, a batch per statement. */
@JobHandler('prune-webhook-logs')
export class PruneWebhookLogsHandler implements HandlesJob<'prune-webhook-logs'> {
  private readonly logger = new Logger(PruneWebhookLogsHandler.name);

  constructor(private readonly deliveries: WebhookDeliveryRepository) {}

  async handle(): Promise<{ logs: number; events: number }> {
    const pruned = await this.deliveries.prune(new Date(Date.now() - WEBHOOK_LOG_RETENTION_MS), PRUNE_BATCH);
    if (pruned.logs + pruned.events > 0) this.logger.log(pruned, 'pruned webhook logs and events');
    return pruned;
  }
}
