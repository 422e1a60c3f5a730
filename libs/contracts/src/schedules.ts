import { JOBS, type JobName, type JobPayloads } from './jobs';
import type { QueueName } from './queues';

/**
 * The jobs that run on a schedule rather than from the outbox: sweeps that find numbers stuck
 * because a webhook, a job or an SMS was lost, or a process died at the wrong moment, and move
 * them on. Each is an ordinary job of `JOBS` (its queue, so its owning worker, and its options);
 * the worker that owns the queue keeps one BullMQ job scheduler per job here, with the job name
 * as its fixed id, so the job runs once per tick in the whole cluster however many replicas
 * boot. How often: `AppConfig.schedules` (SCHEDULE_*_MS, docs/configuration.md).
 */
export const SCHEDULED_JOB_NAMES = [
  'reconcile-pending-checkouts',
  'resume-stalled-provisioning',
  'reconcile-subscription-quantities',
  'prune-webhook-logs',
  'sweep-stock-watches',
  'redrive-failed-jobs',
  'recover-lost-jobs',
  'resume-stalled-billing',
  'resume-stalled-calling',
  'erase-expired-kyc',
  'prune-records',
] as const satisfies readonly JobName[];
export type ScheduledJobName = (typeof SCHEDULED_JOB_NAMES)[number];

export interface ScheduleDefinition<K extends ScheduledJobName = ScheduledJobName> {
  /** The payload of every run. */
  data: JobPayloads[K];
}

export const SCHEDULES: { readonly [K in ScheduledJobName]: ScheduleDefinition<K> } = {
  // Billing: pending_payment numbers whose Checkout webhook was lost, or that never got a session.
  'reconcile-pending-checkouts': { data: {} },
  // Provisioning: numbers stalled in provisioning (order lost or not completed), pending_regulatory
  // (verdict lost), verifying (job or code lost) or releasing (release job lost).
  'resume-stalled-provisioning': { data: {} },
  // Billing: accounts whose Stripe subscription quantity drifted from their billable numbers.
  'reconcile-subscription-quantities': { data: {} },
  // Deliveries: delivery logs and customer events older than their 30 days.
  'prune-webhook-logs': { data: {} },
  // Provisioning (it asks the carrier): stock watches whose country, type or area has numbers again.
  'sweep-stock-watches': { data: {} },
  // Any queue would do (they touch PostgreSQL and Redis only): failed jobs whose re-drive is due.
  'redrive-failed-jobs': { data: {} },
  // Jobs published from the outbox that Redis lost.
  'recover-lost-jobs': { data: {} },
  // Billing: active numbers whose billing never started (start-billing lost).
  'resume-stalled-billing': { data: {} },
  // Calling: calling settings left enabling or disabling (sync lost), calls left dialing or ringing.
  'resume-stalled-calling': { data: {} },
  // Provisioning (it owns regulatory review): KYC of numbers released or declined past KYC_RETENTION_DAYS.
  'erase-expired-kyc': { data: {} },
  // Any queue would do (PostgreSQL only): outbox rows, webhook events and Idempotency-Key records past their retention.
  'prune-records': { data: {} },
};

/** The scheduled jobs of one queue. */
export function scheduledJobsOfQueue(queue: QueueName): ScheduledJobName[] {
  return SCHEDULED_JOB_NAMES.filter((name) => JOBS[name].queue === queue);
}
