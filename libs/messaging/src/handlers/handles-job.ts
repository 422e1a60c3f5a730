import type { JobName, JobPayloads, QueueName } from '@numbers/contracts';

/** What a handler knows about the delivery it is running in (never a copy of state). */
export interface JobContext {
  /** The BullMQ job id: `<job-name>.<outbox-id>`, stable across retries and re-deliveries. */
  jobId: string;
  name: JobName;
  queue: QueueName;
  /** 1 on the first run; grows with each retry. */
  attempt: number;
  maxAttempts: number;
}

/**
 * The work of one job. Runs at least once per job, possibly twice at the same time on two
 * workers: load today's state, ask the domain whether the step still applies, call providers
 * with idempotency keys, and let errors throw (BullMQ retries with the job's backoff).
 */
export interface HandlesJob<K extends JobName> {
  handle(payload: JobPayloads[K], ctx: JobContext): Promise<unknown>;
}
