import type { JobsOptions } from 'bullmq';

/**
 * A step that calls a provider: providers fail transiently (5xx, timeouts), so retry with
 * exponential backoff for about 8.5 minutes (PROVIDER_CALL_ATTEMPTS sets the attempts) before the
 * job fails for good: it is then recorded in `failed_jobs` and re-driven later (docs/architecture.md,
 * "Failed and lost work").
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
