import type { AppConfig } from '@numbers/config';
import { WEBHOOK_DELIVERY_BACKOFF } from '@numbers/contracts';
import { jitteredDelayMs, retryDelaysMs } from '@numbers/domain';

/** BullMQ's custom backoff: the wait before the next attempt, or -1 for none. */
export type BackoffStrategy = (attemptsMade: number, type?: string) => number;

/**
 * The workers' custom backoff: for deliveries to customers (`WEBHOOK_DELIVERY_BACKOFF`), the
 * configured schedule's wait after the `attemptsMade`-th attempt, jittered so that the retries of
 * deliveries that failed together (a receiver's outage) spread out; no retry once the schedule
 * (about 24 hours) is spent. Other jobs use BullMQ's built-in backoffs and never get here.
 */
export function customBackoff(config: AppConfig, random: () => number = Math.random): BackoffStrategy {
  const delays = retryDelaysMs(config.webhooks.retry);
  return (attemptsMade, type) => {
    if (type !== WEBHOOK_DELIVERY_BACKOFF) return -1;
    const delay = delays[attemptsMade - 1];
    return delay === undefined ? -1 : jitteredDelayMs(delay, random);
  };
}
