import { Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { JobHandler, type HandlesJob } from '@numbers/messaging';
import { WebhookDeliveryRepository } from '@numbers/persistence';

/**
 * Scheduled: deletes delivery logs and customer events older than WEBHOOK_LOG_RETENTION_MS (30
 * days: SPEC "Webhooks out"), PRUNE_BATCH_SIZE rows per statement.
 */
@JobHandler('prune-webhook-logs')
export class PruneWebhookLogsHandler implements HandlesJob<'prune-webhook-logs'> {
  private readonly logger = new Logger(PruneWebhookLogsHandler.name);

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly config: AppConfig,
  ) {}

  async handle(): Promise<{ logs: number; events: number }> {
    const { webhookLogsMs, batchSize } = this.config.pruning;
    const pruned = await this.deliveries.prune(new Date(Date.now() - webhookLogsMs), batchSize);
    if (pruned.logs + pruned.events > 0) this.logger.log(pruned, 'pruned webhook logs and events');
    return pruned;
  }
}
