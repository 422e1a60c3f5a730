import { Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { RecordPruningRepository, type PrunedRecords } from '@numbers/persistence';
import type { HandlesJob } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';

/**
 * Scheduled: deletes, in batches, outbox rows, processed webhook events and Idempotency-Key
 * records past their retention (`AppConfig.pruning`). Delivery logs have their own job
 * (prune-webhook-logs, in the delivery worker).
 */
@JobHandler('prune-records')
export class PruneRecordsHandler implements HandlesJob<'prune-records'> {
  private readonly logger = new Logger(PruneRecordsHandler.name);

  constructor(
    private readonly records: RecordPruningRepository,
    private readonly config: AppConfig,
  ) {}

  async handle(): Promise<PrunedRecords> {
    const { pruning, idempotency } = this.config;
    const now = Date.now();
    const pruned = await this.records.prune(
      {
        outbox: new Date(now - pruning.outboxMs),
        webhookEvents: new Date(now - pruning.webhookEventsMs),
        // An in-flight claim is renewed every third of its timeout: never take one younger than that.
        idempotencyRecords: new Date(now - Math.max(pruning.idempotencyMs, idempotency.inFlightTimeoutMs)),
      },
      pruning.batchSize,
    );
    if (pruned.outbox + pruned.webhookEvents + pruned.idempotencyRecords > 0) this.logger.log(pruned, 'pruned records');
    return pruned;
  }
}
