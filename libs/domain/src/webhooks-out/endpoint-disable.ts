const DAY_MS = 24 * 60 * 60_000;

/** An endpoint with no success for this long may be disabled... */
export const ENDPOINT_DISABLE_QUIET_MS = 3 * DAY_MS;
/** ...once this many events in a row failed for good (every retry spent)... */
export const ENDPOINT_DISABLE_FAILURES = 20;
/** ...or it has been failing without a break for this long. */
export const ENDPOINT_DISABLE_FAILING_MS = 3 * DAY_MS;

export interface EndpointHealth {
  /** Events in a row whose every attempt failed (the SDK's `failureCount`); 0 after any success. */
  consecutiveFailures: number;
  /** The last successful delivery (the SDK's `lastFiredAt`); null when none ever succeeded. */
  lastSuccessAt: Date | null;
  /** When the current run of failures began; null when the last delivery succeeded. */
  failingSince: Date | null;
  now: Date;
}

/**
 * Whether to turn an endpoint off (`isActive: false`), as the SDK documents `failureCount`: no
 * successful delivery within 3 days AND either 20 consecutive terminal failures or failing
 * continuously for 3 days. Any success within the 3 days keeps it on, whatever the count.
 */
export function shouldDisableEndpoint({ consecutiveFailures, lastSuccessAt, failingSince, now }: EndpointHealth): boolean {
  const quiet = lastSuccessAt === null || now.getTime() - lastSuccessAt.getTime() >= ENDPOINT_DISABLE_QUIET_MS;
  const failingLong = failingSince !== null && now.getTime() - failingSince.getTime() >= ENDPOINT_DISABLE_FAILING_MS;
  return quiet && (consecutiveFailures >= ENDPOINT_DISABLE_FAILURES || failingLong);
}
