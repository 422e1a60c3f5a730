/** How a failed delivery is retried (WEBHOOK_RETRY_* in docs/configuration.md). */
export interface RetryPolicy {
  /** The wait before the first retry. */
  firstDelayMs: number;
  /** Each wait is this many times the one before... */
  factor: number;
  /** ...up to this. */
  maxDelayMs: number;
  /** Retries stop once their waits would add up to more than this. */
  windowMs: number;
}

/**
 * The waits between attempts, in order: exponential from `firstDelayMs`, each capped at
 * `maxDelayMs`, as many as fit in `windowMs`. An event gets `length + 1` attempts in all.
 */
export function retryDelaysMs(policy: RetryPolicy): number[] {
  const delays: number[] = [];
  let total = 0;
  for (let next = policy.firstDelayMs; next > 0 && total + Math.min(next, policy.maxDelayMs) <= policy.windowMs; next *= policy.factor) {
    const delay = Math.min(next, policy.maxDelayMs);
    delays.push(delay);
    total += delay;
  }
  return delays;
}

/**
 * `baseMs` moved by up to ±`spread` of itself, so the retries of many deliveries that failed
 * together (a receiver's outage) do not all come back in the same second. `random` is in [0, 1).
 */
export function jitteredDelayMs(baseMs: number, random: () => number, spread = 0.2): number {
  return Math.round(baseMs * (1 - spread + 2 * spread * random()));
}
