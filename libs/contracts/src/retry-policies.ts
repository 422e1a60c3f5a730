import type { JobsOptions } from 'bullmq';

/**
 * A step that calls a provider: providers fail transiently (5xx, timeouts), so retry with
 * exponential backoff for about ten minutes before the job is left failed for an operator.
 */
export const PROVIDER_CALL_RETRY: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
};

/** Completed jobs are kept briefly for inspection (bull-board); failed ones for a week. */
export const JOB_RETENTION: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
