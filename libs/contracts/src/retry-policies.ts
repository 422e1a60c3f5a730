import type { JobsOptions } from 'bullmq';

/**
 * A step that calls a provider: providers fail transiently (5xx, timeouts), so retry with
 * exponential backoff for about ten minutes before the job is left failed for an operator.
 */
export const PROVIDER_CALL_RETRY: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
};

/** The backoff type whose delays the delivery worker computes from the configured schedule. */
export const WEBHOOK_DELIVERY_BACKOFF = 'webhook-delivery';

/**
 * A delivery to a customer's endpoint: each run is one attempt; the delivery worker's backoff
 * strategy spaces them on the configured schedule (about 24 hours) and stops retrying when the
 * schedule ends, before this ceiling.
 */
export const WEBHOOK_DELIVERY_RETRY: JobsOptions = {
  attempts: 100,
  backoff: { type: WEBHOOK_DELIVERY_BACKOFF },
};

/** Completed jobs are kept briefly for inspection (bull-board); failed ones for a week. */
export const JOB_RETENTION: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
