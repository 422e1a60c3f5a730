import { Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { JOBS, jobIdFor, type JobName } from '@numbers/contracts';
import { FailedJobRepository, OutboxRelayRepository, type UnfinishedOutboxJob } from '@numbers/persistence';
import type { HandlesJob } from '../handlers/handles-job';
import { JobHandler } from '../handlers/job-handler.decorator';
import { QueueRegistry } from '../queues/queue-registry';

export interface LostJobsReport {
  checked: number;
  republished: number;
  completed: number;
  failed: number;
}

/**
 * Scheduled: outbox jobs published more than `LOST_JOB_AFTER_MS` ago that have neither completed
 * nor failed for good (at most `SWEEP_BATCH_SIZE` a run, each looked at once per that period) are
 * looked up in BullMQ by their deterministic id. Missing (Redis lost it: restarted empty, or
 * flushed), the row is unpublished again and the relay publishes it under the same id. Completed
 * or failed there while our own record of it was lost (the database was down when it ended, or
 * BullMQ itself failed a job that stalled too often), the record is written now. Anything else is
 * still under way.
 */
@JobHandler('recover-lost-jobs')
export class RecoverLostJobsHandler implements HandlesJob<'recover-lost-jobs'> {
  private readonly logger = new Logger(RecoverLostJobsHandler.name);

  constructor(
    private readonly outbox: OutboxRelayRepository,
    private readonly failures: FailedJobRepository,
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
  ) {}

  async handle(): Promise<LostJobsReport> {
    const { lostJobAfterMs, batchSize, redriveDelaysMs } = this.config.recovery;
    const rows = await this.outbox.claimUnfinishedJobs(lostJobAfterMs, batchSize);
    const lost: UnfinishedOutboxJob[] = [];
    const completed: bigint[] = [];
    let failed = 0;
    for (const row of rows) {
      const definition = JOBS[row.name as JobName];
      if (!definition) continue;
      const queue = this.queues.get(definition.queue);
      const jobId = jobIdFor(row.name as JobName, row.id);
      const state = await queue.getJobState(jobId);
      if (state === 'unknown') lost.push(row);
      else if (state === 'completed') completed.push(row.id);
      else if (state === 'failed') {
        const job = await queue.getJob(jobId);
        if (definition.redrive === false || !job) completed.push(row.id);
        else {
          // Why is not known here (the database was down, or BullMQ failed a job that stalled too
          // often): re-driven, at worst a refusal asked again a few times before it is abandoned.
          await this.failures.record(
            { outboxId: row.id, jobId, name: row.name, payload: job.data, reason: 'exhausted', attempts: job.attemptsMade, lastError: job.failedReason },
            redriveDelaysMs,
          );
          failed++;
        }
      }
    }
    await this.outbox.republish(lost.map((r) => r.id));
    await this.outbox.markFinished(completed);
    for (const row of lost) {
      this.logger.warn({ outboxId: String(row.id), job: row.name, publishedAt: row.publishedAt }, 'job lost by Redis: published again');
    }
    return { checked: rows.length, republished: lost.length, completed: completed.length, failed };
  }
}
