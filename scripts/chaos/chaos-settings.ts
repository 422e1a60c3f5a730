/**
 * The settings every process of a chaos run gets on top of env/local.env: production's
 * mechanisms with a faster clock, so a run of minutes sees every recovery path (stall detection,
 * lost-job recovery, re-drives, sweeps, the reconciler) act, not only the first retry.
 */
export const CHAOS_SETTINGS: Record<string, string> = {
  LOG_LEVEL: 'info',
  RATE_LIMIT_PER_MINUTE: '1000000',
  OUTBOX_POLL_MS: '50',
  // Two replicas of everything on one PostgreSQL with max_connections=300.
  WORKER_CONCURRENCY: '10',
  WEBHOOK_DELIVERY_CONCURRENCY: '8',
  // A killed worker's jobs run again within seconds.
  WORKER_LOCK_MS: '3000',
  // A job fails for good after ~30 s of provider errors, is recorded and re-driven.
  PROVIDER_CALL_ATTEMPTS: '7',
  REDRIVE_DELAYS_MS: '2000,5000,10000,20000',
  SCHEDULE_REDRIVE_FAILED_JOBS_MS: '1000',
  // Jobs Redis lost are published again.
  LOST_JOB_AFTER_MS: '10000',
  SCHEDULE_RECOVER_LOST_JOBS_MS: '2000',
  SCHEDULER_CHECK_MS: '2000',
  // Sweeps of every state that can stall.
  SCHEDULE_RECONCILE_PENDING_CHECKOUTS_MS: '2000',
  SCHEDULE_RESUME_STALLED_PROVISIONING_MS: '2000',
  SCHEDULE_RESUME_STALLED_BILLING_MS: '2000',
  SCHEDULE_RESUME_STALLED_CALLING_MS: '2000',
  SCHEDULE_RECONCILE_SUBSCRIPTION_QUANTITIES_MS: '3000',
  CHECKOUT_RECHECK_MS: '15000',
  PROVISIONING_STALLED_MS: '15000',
  // Longer than verify-whatsapp-code's retries (7 attempts, exponential from 500 ms: 31.5 s of
  // waits, plus Meta's answers), as production's 10 minutes outlast its 8.5: a new code replaces
  // the one a retrying job holds, which Meta then refuses, so at 15 s a Meta fault ended numbers.
  WHATSAPP_CODE_TIMEOUT_MS: '45000',
  WHATSAPP_CODE_MAX_REQUESTS: '10',
  REGULATORY_RECHECK_MS: '15000',
  RELEASE_STALLED_MS: '15000',
  BILLING_START_STALLED_MS: '15000',
  CALLING_SYNC_STALLED_MS: '15000',
  // Longer than place-call's attempts (PROVIDER_CALL_ATTEMPTS above) and the calls' ring and talk.
  CALL_STALLED_MS: '60000',
  // A claim left by a killed gateway is taken over soon; a live request renews it every third.
  IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS: '6000',
  // A stopping gateway or worker finishes what it has within this, then goes.
  SHUTDOWN_DRAIN_MS: '10000',
};
