import { Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { FailedJobRepository } from '@numbers/persistence';
import type { HandlesJob } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';

/**
 * Scheduled: publishes again, through the outbox (durable, a fresh job id, relayed like any job),
 * the failed jobs whose re-drive is due, at most `SWEEP_BATCH_SIZE` a run.
 */
@JobHandler('redrive-failed-jobs')
export class RedriveFailedJobsHandler implements HandlesJob<'redrive-failed-jobs'> {
  private readonly logger = new Logger(RedriveFailedJobsHandler.name);

  constructor(
    private readonly failures: FailedJobRepository,
    private readonly config: AppConfig,
  ) {}

  async handle(): Promise<{ redriven: number }> {
    const redriven = await this.failures.redriveDue(this.config.recovery.batchSize);
    for (const row of redriven) {
      this.logger.log({ failedJobId: row.id, job: row.name, redrive: row.redrives, outboxId: row.outboxId }, 'failed job re-driven');
    }
    return { redriven: redriven.length };
  }
}
