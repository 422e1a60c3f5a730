import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@numbers/config';
import { JOBS, outboxIdOf, type JobName } from '@numbers/contracts';
import { FailedJobRepository, type FailureReason } from '@numbers/persistence';
import type { Job } from 'bullmq';

/**
 * Where a job's end is written down: a job published from the outbox that completed finishes its
 * row (and resolves the failure it re-drove); one that failed for good is recorded in
 * `failed_jobs`, to be re-driven or left for an operator (`FailedJobRepository`). A job whose
 * definition says `redrive: false` ends as it is (a scheduled run, a customer delivery).
 *
 * Neither write may change how the job ends: when the database cannot take it, the job's own end
 * stands and `recover-lost-jobs` writes it later from BullMQ's record of the job (its outbox row
 * is still unfinished).
 */
@Injectable()
export class JobOutcomes {
  private readonly logger = new Logger(JobOutcomes.name);

  constructor(
    private readonly failures: FailedJobRepository,
    private readonly config: AppConfig,
  ) {}

  async completed(job: Job): Promise<void> {
    const outboxId = outboxIdOf(job.name, job.id);
    if (outboxId === undefined) return;
    try {
      await this.failures.completed(outboxId);
    } catch (error) {
      this.logger.warn({ jobId: job.id, job: job.name, err: (error as Error).message }, 'could not record that a job completed');
    }
  }

  /** `attempts`: the attempts this run of the job made, the failing one included. */
  async failed(job: Job, reason: FailureReason, attempts: number, error: unknown): Promise<void> {
    if (JOBS[job.name as JobName]?.redrive === false) return;
    const lastError = error instanceof Error ? error.message : String(error);
    try {
      const recorded = await this.failures.record(
        { outboxId: outboxIdOf(job.name, job.id), jobId: job.id ?? '', name: job.name, payload: job.data, reason, attempts, lastError },
        this.config.recovery.redriveDelaysMs,
      );
      this.logger.warn(
        { failedJobId: recorded.id, jobId: job.id, job: job.name, reason, attempts, status: recorded.status, nextRedriveAt: recorded.nextRedriveAt, err: lastError },
        'job failed for good',
      );
    } catch (bookkeeping) {
      this.logger.error({ jobId: job.id, job: job.name, err: (bookkeeping as Error).message }, 'could not record a failed job');
    }
  }
}
